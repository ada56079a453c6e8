package dev.clicklog.portal.web.api;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.clicklog.portal.pipeline.PipelineRequest;
import dev.clicklog.portal.pipeline.Violation;

/**
 * Reads a pipeline request from a JSON object, strictly and completely: every value must have its
 * field's JSON type (no "2" for 2, no "true" for true, no 1.5 for a whole number), and every field
 * that breaks this, or is not a field at all, is reported, not just the first. A field that cannot
 * be read is null in the request, so the field rules ({@code PipelineSpec}) leave it to the
 * violation found here.
 */
final class PipelineRequestJson {

    /** The request as far as it could be read, and what could not be. */
    record Read(PipelineRequest request, List<Violation> violations) {
    }

    private static final RecordComponent[] FIELDS = PipelineRequest.class.getRecordComponents();

    private PipelineRequestJson() {
    }

    /** @param body a JSON object */
    static Read read(JsonNode body) {
        List<Violation> violations = new ArrayList<>();
        Map<String, RecordComponent> known = new HashMap<>();
        for (RecordComponent f : FIELDS) {
            known.put(f.getName(), f);
        }
        body.fieldNames().forEachRemaining(name -> {
            if (!known.containsKey(name)) {
                violations.add(new Violation(name, "is not a known field"));
            }
        });
        Object[] values = new Object[FIELDS.length];
        for (int i = 0; i < FIELDS.length; i++) {
            JsonNode value = body.get(FIELDS[i].getName());
            if (value != null && !value.isNull()) {
                values[i] = value(FIELDS[i], value, violations);
            }
        }
        try {
            return new Read(PipelineRequest.class.getDeclaredConstructor(
                    Arrays.stream(FIELDS).map(RecordComponent::getType).toArray(Class[]::new))
                    .newInstance(values), List.copyOf(violations));
        } catch (NoSuchMethodException | InstantiationException | IllegalAccessException
                | InvocationTargetException e) {
            throw new IllegalStateException("cannot build a " + PipelineRequest.class.getSimpleName(), e);
        }
    }

    /** The field's value, or null with a violation when the JSON value has another type. */
    private static Object value(RecordComponent field, JsonNode value, List<Violation> violations) {
        String name = field.getName();
        Class<?> type = field.getType();
        if (type == String.class) {
            return value.isTextual() ? value.textValue() : invalid(name, "must be a string", violations);
        }
        if (type == Boolean.class) {
            return value.isBoolean() ? value.booleanValue() : invalid(name, "must be true or false", violations);
        }
        if (type == Double.class) {
            return value.isNumber() ? value.doubleValue() : invalid(name, "must be a number", violations);
        }
        if (type == Integer.class) {
            if (!value.isIntegralNumber()) {
                return invalid(name, "must be a whole number", violations);
            }
            // Beyond int, the value is out of every field's range: the field's range rule names it.
            if (!value.canConvertToInt()) {
                return value.bigIntegerValue().signum() > 0 ? Integer.MAX_VALUE : Integer.MIN_VALUE;
            }
            return value.intValue();
        }
        if (type == List.class) {
            if (!value.isArray()) {
                return invalid(name, "must be a list of strings", violations);
            }
            // An item that is no string is null here; the list's rules report it with its index, among the others.
            List<String> items = new ArrayList<>();
            value.forEach(item -> items.add(item.isTextual() ? item.textValue() : null));
            return items;
        }
        throw new IllegalStateException("no JSON reading for field " + name + " of type " + type);
    }

    private static Object invalid(String field, String rule, List<Violation> violations) {
        violations.add(new Violation(field, rule));
        return null;
    }
}
