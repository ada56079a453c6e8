package dev.clicklog.portal.pipeline;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What a change changes: each field of the spec that differs, as "field: old → new" for the history. */
final class SpecDiff {

    private SpecDiff() {
    }

    /** The fields that differ, in the spec's order, each as "field: old → new". */
    static List<String> between(PipelineSpec before, PipelineSpec after) {
        List<String> changes = new ArrayList<>();
        for (RecordComponent c : PipelineSpec.class.getRecordComponents()) {
            Object was = read(c, before);
            Object is = read(c, after);
            if (!Objects.equals(was, is)) {
                changes.add(c.getName() + ": " + show(was) + " → " + show(is));
            }
        }
        return changes;
    }

    private static Object read(RecordComponent c, PipelineSpec spec) {
        try {
            return c.getAccessor().invoke(spec);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String show(Object value) {
        if (value == null) {
            return "(none)";
        }
        if (value instanceof String s) {
            return "\"" + s + "\"";
        }
        return value.toString();
    }
}
