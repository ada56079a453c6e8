package dev.clicklog.portal.web.api;

import java.lang.reflect.Type;
import java.util.List;
import java.util.function.BiFunction;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import dev.clicklog.portal.pipeline.InvalidPipelineException;
import dev.clicklog.portal.pipeline.Violation;

/**
 * How the API reads request bodies: a second JSON value after the first, or a field given twice, is
 * an error rather than silently ignored; bound to a type, an unknown field or a fraction where a
 * whole number belongs is too. Only for this API; the application's shared ObjectMapper keeps its
 * defaults.
 */
public class StrictJson implements BiFunction<ObjectMapper, Type, ObjectReader> {

    /** The body a request must have; an empty one is reported as the body's violation. */
    static <T> T required(T body) {
        if (body == null) {
            throw new InvalidPipelineException(List.of(new Violation("(body)", "is required: a JSON object")));
        }
        return body;
    }

    @Override
    public ObjectReader apply(ObjectMapper mapper, Type type) {
        return mapper.readerFor(mapper.constructType(type))
                .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .with(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .without(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    }
}
