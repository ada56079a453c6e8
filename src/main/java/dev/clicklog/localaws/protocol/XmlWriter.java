package dev.clicklog.localaws.protocol;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;

/** A small streaming XML writer for the query and REST-XML protocols' responses. */
public final class XmlWriter {

    private final StringBuilder sb = new StringBuilder(256);
    private final Deque<String> open = new ArrayDeque<>();

    public XmlWriter() {
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    }

    /** Opens an element with an xmlns attribute (null for none). */
    public XmlWriter start(String name, String xmlns) {
        sb.append('<').append(name);
        if (xmlns != null) {
            sb.append(" xmlns=\"").append(escape(xmlns)).append('"');
        }
        sb.append('>');
        open.push(name);
        return this;
    }

    public XmlWriter start(String name) {
        return start(name, null);
    }

    public XmlWriter end() {
        sb.append("</").append(open.pop()).append('>');
        return this;
    }

    /** A leaf element; nothing is written when the value is null. */
    public XmlWriter element(String name, Object value) {
        if (value == null) {
            return this;
        }
        String text = value instanceof Instant i ? iso8601(i) : String.valueOf(value);
        sb.append('<').append(name).append('>').append(escape(text)).append("</").append(name).append('>');
        return this;
    }

    /** Text content of the element just opened (for elements that hold text beside an attribute). */
    public XmlWriter text(String value) {
        sb.append(escape(value));
        return this;
    }

    public byte[] toBytes() {
        return toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        if (!open.isEmpty()) {
            throw new IllegalStateException("unclosed elements: " + open);
        }
        return sb.toString();
    }

    /** ISO-8601 with milliseconds and Z, the timestamp form of the XML protocols. */
    public static String iso8601(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }

    public static String escape(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String rep = switch (c) {
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '&' -> "&amp;";
                case '"' -> "&quot;";
                case '\'' -> "&apos;";
                case '\r' -> "&#13;";
                default -> null;
            };
            if (rep != null) {
                if (out == null) {
                    out = new StringBuilder(s.length() + 16).append(s, 0, i);
                }
                out.append(rep);
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? s : out.toString();
    }
}
