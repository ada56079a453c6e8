package dev.clicklog.localaws.apigateway.template;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import dev.clicklog.localaws.protocol.JsonProtocol;

/** {@code $util} of a mapping template: API Gateway's helper functions. Stateless. */
public final class TemplateUtil {

    static final TemplateUtil INSTANCE = new TemplateUtil();

    private TemplateUtil() {
    }

    /** JavaScript string escaping, quotes (single ones too) and control characters included. */
    public String escapeJavaScript(Object value) {
        if (value == null) {
            return null;
        }
        String s = value.toString();
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\'' -> out.append("\\'");
                case '\\' -> out.append("\\\\");
                case '/' -> out.append("\\/");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        out.append(String.format("\\u%04X", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /** Parses JSON text into maps, lists and values that templates can navigate. */
    public Object parseJson(String json) {
        try {
            return TemplateInput.toJava(JsonProtocol.JSON.readTree(json));
        } catch (IOException e) {
            throw new IllegalArgumentException("Invalid JSON: " + e.getMessage(), e);
        }
    }

    public String urlEncode(String s) {
        return s == null ? null : URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    public String urlDecode(String s) {
        return s == null ? null : URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    public String base64Encode(String s) {
        return s == null ? null : Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    public String base64Decode(String s) {
        return s == null ? null : new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
    }
}
