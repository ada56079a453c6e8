package dev.clicklog.portal.adapter;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Compares what the portal wants with what an endpoint reports of it. The adapters read a field the
 * endpoint's answer leaves out as null: unknown, not a difference. AWS reports every field the
 * portal sets, but other endpoints leave some out, and taking each of those for drift would
 * "repair" it on every check. A field present with another value is a difference, and repaired.
 */
public final class ReadBack {

    private ReadBack() {
    }

    /**
     * Whether the reported value agrees with the wanted one: it is unknown (null), or equal, field
     * by field for records, entry by entry for maps (the same keys), element by element for lists
     * (the same length), and by value for numbers of different types.
     */
    public static boolean agrees(Object wanted, Object reported) {
        if (reported == null) {
            return true;
        }
        if (wanted == null) {
            return false;
        }
        if (wanted instanceof Record w && reported instanceof Record r && w.getClass() == r.getClass()) {
            for (RecordComponent c : w.getClass().getRecordComponents()) {
                if (!agrees(value(c, w), value(c, r))) {
                    return false;
                }
            }
            return true;
        }
        if (wanted instanceof Map<?, ?> w && reported instanceof Map<?, ?> r) {
            return w.keySet().equals(r.keySet()) && w.entrySet().stream().allMatch(e -> agrees(e.getValue(), r.get(e.getKey())));
        }
        if (wanted instanceof List<?> w && reported instanceof List<?> r) {
            if (w.size() != r.size()) {
                return false;
            }
            Iterator<?> reportedItems = r.iterator();
            return w.stream().allMatch(item -> agrees(item, reportedItems.next()));
        }
        if (wanted instanceof Number w && reported instanceof Number r) {
            return Double.compare(w.doubleValue(), r.doubleValue()) == 0;
        }
        return wanted.equals(reported);
    }

    private static Object value(RecordComponent c, Record r) {
        try {
            return c.getAccessor().invoke(r);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + c.getName() + " of " + r.getClass().getSimpleName(), e);
        }
    }
}
