package dev.clicklog.localaws.apigateway.invoke;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * A stage's access log format, compiled once per deployment of the stage: literal text and
 * {@code $context} variables. A variable without a value is written {@code -}, as API Gateway does
 * ({@code "-"} for {@code $context.error.messageString}, the one that brings its own quotes).
 * Values are escaped for a JSON string (quotes, backslashes, control characters), so a JSON format
 * stays JSON whatever a client sends as its User-Agent.
 */
public final class AccessLogFormat {

    private static final Pattern VARIABLE = Pattern.compile("\\$context\\.([A-Za-z0-9_.\\-]*[A-Za-z0-9_\\-])");

    /** A piece of the format: literal text, or the name of a variable after {@code $context.}. */
    private record Part(String literal, String variable) {
    }

    private final List<Part> parts;

    private AccessLogFormat(List<Part> parts) {
        this.parts = List.copyOf(parts);
    }

    public static AccessLogFormat compile(String format) {
        List<Part> parts = new ArrayList<>();
        Matcher m = VARIABLE.matcher(format);
        int at = 0;
        while (m.find()) {
            if (m.start() > at) {
                parts.add(new Part(format.substring(at, m.start()), null));
            }
            parts.add(new Part(null, m.group(1)));
            at = m.end();
        }
        if (at < format.length()) {
            parts.add(new Part(format.substring(at), null));
        }
        return new AccessLogFormat(parts);
    }

    /** Whether the format names one of the variables API Gateway requires an access log format to have. */
    public static boolean identifiesRequests(String format) {
        Matcher m = VARIABLE.matcher(format);
        while (m.find()) {
            if (m.group(1).equals("requestId") || m.group(1).equals("extendedRequestId")) {
                return true;
            }
        }
        return false;
    }

    /** The line for one request; {@code values} answers a variable's value, or null when it has none. */
    String render(Function<String, String> values) {
        StringBuilder out = new StringBuilder(128);
        for (Part p : parts) {
            if (p.literal() != null) {
                out.append(p.literal());
                continue;
            }
            boolean quoted = p.variable().equals("error.messageString");
            String value = values.apply(quoted ? "error.message" : p.variable());
            if (value == null || value.isEmpty()) {
                out.append(quoted ? "\"-\"" : "-");
            } else if (quoted) {
                out.append('"');
                escape(value, out);
                out.append('"');
            } else {
                escape(value, out);
            }
        }
        return out.toString();
    }

    private static void escape(String value, StringBuilder out) {
        JsonStringEncoder.getInstance().quoteAsString(value, out);
    }
}
