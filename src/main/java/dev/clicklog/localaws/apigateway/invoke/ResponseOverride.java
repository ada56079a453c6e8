package dev.clicklog.localaws.apigateway.invoke;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code $context.responseOverride} of an integration response template: a template may replace
 * the method response's status ({@code #set($context.responseOverride.status = 400)}) and set or
 * replace its headers ({@code #set($context.responseOverride.header.X-Name = 'value')}), e.g. to
 * echo one of several allowed CORS origins.
 */
public final class ResponseOverride {

    private final Map<String, Object> header = new LinkedHashMap<>();
    private Object status;

    public Map<String, Object> getHeader() {
        return header;
    }

    public Object getStatus() {
        return status;
    }

    public void setStatus(Object status) {
        this.status = status;
    }

    /** The overriding status, when a template set a valid one (100–599); null otherwise. */
    Integer status() {
        if (status == null) {
            return null;
        }
        try {
            int s = status instanceof Number n ? n.intValue() : Integer.parseInt(status.toString().trim());
            return s >= 100 && s <= 599 ? s : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The headers a template set, as strings; a header set to nothing is left out. */
    Map<String, String> headers() {
        Map<String, String> out = new LinkedHashMap<>();
        header.forEach((name, value) -> {
            if (value != null && !value.toString().isEmpty()) {
                out.put(name, value.toString());
            }
        });
        return out;
    }
}
