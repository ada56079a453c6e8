package dev.clicklog.localaws.logs;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A CloudWatch Logs filter pattern, compiled: the syntax FilterLogEvents, metric filters and
 * subscription filters share. Three kinds, by their first character:
 * <ul>
 * <li>terms — {@code ERROR}, {@code "Failed to process"}, {@code ERROR -Exiting} (excluded),
 * {@code ?ERROR ?WARN} (any of them), {@code %regex%}: case-sensitive, each found anywhere in the
 * message; every plain term must be there, at least one {@code ?} term when there are some, and no
 * excluded one;
 * <li>JSON — {@code { $.status = 400 }}: the message is a JSON document, selectors {@code $.a.b},
 * {@code $.a[0]}; {@code = != < > <= >=} on numbers, {@code = !=} on strings with {@code *}
 * wildcards or a {@code %regex%}; {@code IS NULL}, {@code IS TRUE}, {@code IS FALSE},
 * {@code NOT EXISTS}; {@code && ||} and parentheses;
 * <li>space-delimited — {@code [ip, user, ..., status = 4*, bytes > 1000]}: the message's fields
 * (split at spaces, {@code "…"} and {@code […]} kept whole), matched by position, {@code ...}
 * standing for any number of them.
 * </ul>
 * The empty pattern matches every event. A number compared with a string value that is a number
 * compares as a number (access logs write {@code "status":"400"}).
 */
final class FilterPattern {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FilterPattern ALL = new FilterPattern("", m -> true);

    private final String source;
    private final Predicate<String> matcher;

    private FilterPattern(String source, Predicate<String> matcher) {
        this.source = source;
        this.matcher = matcher;
    }

    /** The pattern, or InvalidParameterException saying what is wrong with it. */
    static FilterPattern compile(String pattern) {
        if (pattern == null || pattern.isBlank()) {
            return ALL;
        }
        String text = pattern.strip();
        try {
            Predicate<String> matcher;
            if (text.startsWith("{")) {
                matcher = new JsonParser(text).parse();
            } else if (text.startsWith("[")) {
                matcher = new DelimitedParser(text).parse();
            } else {
                matcher = terms(text);
            }
            return new FilterPattern(text, matcher);
        } catch (Invalid e) {
            throw LogsErrors.invalidParameter("Invalid filter pattern '" + text + "': " + e.getMessage());
        }
    }

    boolean matches(String message) {
        return matcher.test(message);
    }

    @Override
    public String toString() {
        return source;
    }

    /** Why a pattern does not parse. */
    private static final class Invalid extends RuntimeException {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    // ---- terms ----

    private static Predicate<String> terms(String text) {
        List<Predicate<String>> all = new ArrayList<>();
        List<Predicate<String>> any = new ArrayList<>();
        List<Predicate<String>> none = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            List<Predicate<String>> into = all;
            if (c == '?' || c == '-') {
                into = c == '?' ? any : none;
                i++;
                if (i >= text.length() || Character.isWhitespace(text.charAt(i))) {
                    throw new Invalid("'" + c + "' must be followed by a term");
                }
                c = text.charAt(i);
            }
            int end;
            Predicate<String> term;
            if (c == '"') {
                end = closingQuote(text, i);
                String literal = unescape(text.substring(i + 1, end));
                term = m -> m.contains(literal);
                end++;
            } else if (c == '%') {
                end = text.indexOf('%', i + 1);
                if (end < 0) {
                    throw new Invalid("a regular expression is not closed with %");
                }
                Pattern regex = regex(text.substring(i + 1, end));
                term = m -> regex.matcher(m).find();
                end++;
            } else {
                end = i;
                while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
                    end++;
                }
                String literal = text.substring(i, end);
                term = m -> m.contains(literal);
            }
            into.add(term);
            i = end;
        }
        return m -> all.stream().allMatch(t -> t.test(m)) && (any.isEmpty() || any.stream().anyMatch(t -> t.test(m)))
                && none.stream().noneMatch(t -> t.test(m));
    }

    private static int closingQuote(String text, int open) {
        for (int i = open + 1; i < text.length(); i++) {
            if (text.charAt(i) == '\\') {
                i++;
            } else if (text.charAt(i) == '"') {
                return i;
            }
        }
        throw new Invalid("a quoted term is not closed");
    }

    private static String unescape(String quoted) {
        StringBuilder out = new StringBuilder(quoted.length());
        for (int i = 0; i < quoted.length(); i++) {
            char c = quoted.charAt(i);
            if (c == '\\' && i + 1 < quoted.length()) {
                c = quoted.charAt(++i);
            }
            out.append(c);
        }
        return out.toString();
    }

    private static Pattern regex(String regex) {
        if (regex.isEmpty()) {
            throw new Invalid("an empty regular expression");
        }
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new Invalid("the regular expression " + regex + " is not valid");
        }
    }

    // ---- values compared by JSON and space-delimited patterns ----

    /**
     * The right-hand side of a comparison: a number, a string with {@code *} wildcards (matched
     * whole), or a {@code %regular expression%} (found anywhere).
     */
    private record Operand(BigDecimal number, Pattern pattern, boolean anywhere) {

        static Operand of(String token, boolean quoted) {
            if (!quoted && token.length() > 1 && token.startsWith("%") && token.endsWith("%")) {
                return new Operand(null, regex(token.substring(1, token.length() - 1)), true);
            }
            return new Operand(quoted ? null : number(token), wildcard(token), false);
        }

        /** Whether a value (its text; null when absent) satisfies {@code value op this}. */
        boolean test(String op, String value) {
            if (value == null) {
                return false;
            }
            BigDecimal v = number(value);
            if (!op.equals("=") && !op.equals("!=")) {
                if (v == null || number == null) {
                    return false;
                }
                int c = v.compareTo(number);
                return switch (op) {
                    case "<" -> c < 0;
                    case ">" -> c > 0;
                    case "<=" -> c <= 0;
                    default -> c >= 0;
                };
            }
            boolean equal;
            if (anywhere) {
                equal = pattern.matcher(value).find();
            } else if (number != null && v != null) {
                equal = v.compareTo(number) == 0;
            } else {
                equal = pattern.matcher(value).matches();
            }
            return op.equals("=") == equal;
        }

        private static Pattern wildcard(String token) {
            StringBuilder regex = new StringBuilder("(?s)");
            for (String part : token.split("\\*", -1)) {
                if (regex.length() > 4) {
                    regex.append(".*");
                }
                regex.append(Pattern.quote(part));
            }
            return Pattern.compile(regex.toString());
        }

        static BigDecimal number(String text) {
            if (text == null || text.isEmpty() || text.length() > 64) {
                return null;
            }
            char first = text.charAt(0);
            if (!(Character.isDigit(first) || first == '-' || first == '+' || first == '.')) {
                return null;
            }
            // Strings in scientific notation are not numbers to a filter pattern.
            if (text.indexOf('e') >= 0 || text.indexOf('E') >= 0) {
                return null;
            }
            try {
                return new BigDecimal(text);
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    // ---- JSON ----

    /** {@code { expression }} parsed by recursive descent into a predicate over the parsed document. */
    private static final class JsonParser {

        private final String text;
        private int pos;

        JsonParser(String text) {
            this.text = text;
        }

        Predicate<String> parse() {
            expect("{");
            Predicate<JsonNode> expression = or();
            expect("}");
            skipSpace();
            if (pos != text.length()) {
                throw new Invalid("unexpected '" + text.substring(pos) + "' after the closing }");
            }
            return message -> {
                JsonNode document = parseJson(message);
                return document != null && expression.test(document);
            };
        }

        private Predicate<JsonNode> or() {
            Predicate<JsonNode> left = and();
            while (take("||")) {
                Predicate<JsonNode> l = left;
                Predicate<JsonNode> r = and();
                left = d -> l.test(d) || r.test(d);
            }
            return left;
        }

        private Predicate<JsonNode> and() {
            Predicate<JsonNode> left = unary();
            while (take("&&")) {
                Predicate<JsonNode> l = left;
                Predicate<JsonNode> r = unary();
                left = d -> l.test(d) && r.test(d);
            }
            return left;
        }

        private Predicate<JsonNode> unary() {
            if (take("(")) {
                Predicate<JsonNode> inner = or();
                expect(")");
                return inner;
            }
            return condition();
        }

        private Predicate<JsonNode> condition() {
            List<Object> path = selector();
            skipSpace();
            if (takeWord("IS")) {
                if (takeWord("NULL")) {
                    return d -> is(select(d, path), n -> n.isNull());
                }
                if (takeWord("TRUE")) {
                    return d -> is(select(d, path), n -> n.isBoolean() && n.booleanValue());
                }
                if (takeWord("FALSE")) {
                    return d -> is(select(d, path), n -> n.isBoolean() && !n.booleanValue());
                }
                throw new Invalid("IS must be followed by NULL, TRUE or FALSE");
            }
            if (takeWord("NOT")) {
                if (!takeWord("EXISTS")) {
                    throw new Invalid("NOT must be followed by EXISTS");
                }
                return d -> select(d, path) == null;
            }
            String op = operator();
            if (op == null) {
                throw new Invalid("expected a comparison after the selector at position " + pos);
            }
            skipSpace();
            boolean quoted = pos < text.length() && text.charAt(pos) == '"';
            String token = quoted ? quotedToken() : bareToken();
            if (token.isEmpty() && !quoted) {
                throw new Invalid("expected a value after " + op);
            }
            Operand operand = Operand.of(token, quoted);
            if (!op.equals("=") && !op.equals("!=") && operand.number() == null) {
                throw new Invalid(op + " compares numbers; '" + token + "' is not one");
            }
            return d -> {
                JsonNode value = select(d, path);
                if (value == null || value.isContainerNode() || value.isNull()) {
                    return false;
                }
                return operand.test(op, value.isTextual() ? value.textValue() : value.asText());
            };
        }

        /** {@code $.a.b[0].c} as names and indexes. */
        private List<Object> selector() {
            skipSpace();
            if (pos >= text.length() || text.charAt(pos) != '$') {
                throw new Invalid("a condition must start with a selector such as $.field, at position " + pos);
            }
            pos++;
            List<Object> path = new ArrayList<>();
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c == '.') {
                    pos++;
                    int start = pos;
                    while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos))
                            || "_-@:".indexOf(text.charAt(pos)) >= 0)) {
                        pos++;
                    }
                    if (start == pos) {
                        throw new Invalid("a field name is missing after '.' at position " + start);
                    }
                    path.add(text.substring(start, pos));
                } else if (c == '[') {
                    int close = text.indexOf(']', pos);
                    if (close < 0) {
                        throw new Invalid("'[' is not closed");
                    }
                    try {
                        path.add(Integer.parseInt(text.substring(pos + 1, close).strip()));
                    } catch (NumberFormatException e) {
                        throw new Invalid("an array index must be a number: " + text.substring(pos, close + 1));
                    }
                    pos = close + 1;
                } else {
                    break;
                }
            }
            if (path.isEmpty()) {
                throw new Invalid("a selector must name a field: $.field");
            }
            return path;
        }

        private String operator() {
            for (String op : new String[] { "!=", "<=", ">=", "=", "<", ">" }) {
                if (take(op)) {
                    return op;
                }
            }
            return null;
        }

        private String quotedToken() {
            int end = closingQuote(text, pos);
            String token = unescape(text.substring(pos + 1, end));
            pos = end + 1;
            return token;
        }

        private String bareToken() {
            int start = pos;
            if (pos < text.length() && text.charAt(pos) == '%') {
                int end = text.indexOf('%', pos + 1);
                if (end < 0) {
                    throw new Invalid("a regular expression is not closed with %");
                }
                pos = end + 1;
                return text.substring(start, pos);
            }
            while (pos < text.length() && !Character.isWhitespace(text.charAt(pos)) && "(){}&|".indexOf(text.charAt(pos)) < 0) {
                pos++;
            }
            return text.substring(start, pos);
        }

        private boolean takeWord(String word) {
            skipSpace();
            if (text.regionMatches(true, pos, word, 0, word.length())
                    && (pos + word.length() == text.length() || !Character.isLetter(text.charAt(pos + word.length())))) {
                pos += word.length();
                return true;
            }
            return false;
        }

        private boolean take(String token) {
            skipSpace();
            if (text.startsWith(token, pos)) {
                pos += token.length();
                return true;
            }
            return false;
        }

        private void expect(String token) {
            if (!take(token)) {
                throw new Invalid("expected '" + token + "' at position " + pos);
            }
        }

        private void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }
    }

    private static boolean is(JsonNode node, Predicate<JsonNode> test) {
        return node != null && test.test(node);
    }

    /** The message as JSON, or null when it is not a JSON object or array. */
    private static JsonNode parseJson(String message) {
        String m = message.strip();
        if (m.isEmpty() || (m.charAt(0) != '{' && m.charAt(0) != '[')) {
            return null;
        }
        try {
            return JSON.readTree(m);
        } catch (IOException e) {
            return null;
        }
    }

    /** The node a path selects; null when it is absent. */
    private static JsonNode select(JsonNode document, List<Object> path) {
        JsonNode node = document;
        for (Object step : path) {
            node = step instanceof Integer index ? (node.isArray() ? node.get(index) : null) : node.isObject()
                    ? node.get((String) step) : null;
            if (node == null) {
                return null;
            }
        }
        return node;
    }

    // ---- space-delimited ----

    /** {@code [a, b = 4*, ..., c > 10]}: one predicate per field, by position. */
    private static final class DelimitedParser {

        private static final String ELLIPSIS = "...";

        /** One field of the pattern: a comparison (or none: any value); the ellipsis has null. */
        private record Field(String op, Operand operand) {
        }

        private final String text;

        DelimitedParser(String text) {
            this.text = text;
        }

        Predicate<String> parse() {
            if (!text.endsWith("]")) {
                throw new Invalid("a space-delimited pattern must end with ]");
            }
            String inner = text.substring(1, text.length() - 1).strip();
            List<Field> fields = new ArrayList<>();
            int ellipsis = -1;
            for (String part : inner.isEmpty() ? new String[0] : inner.split(",", -1)) {
                String f = part.strip();
                if (f.equals(ELLIPSIS)) {
                    if (ellipsis >= 0) {
                        throw new Invalid("at most one ... per pattern");
                    }
                    ellipsis = fields.size();
                    fields.add(null);
                    continue;
                }
                fields.add(field(f));
            }
            int gap = ellipsis;
            return message -> {
                List<String> values = split(message);
                if (gap < 0) {
                    return values.size() == fields.size() && matchAll(fields, 0, values, 0, fields.size());
                }
                int before = gap;
                int after = fields.size() - gap - 1;
                if (values.size() < before + after) {
                    return false;
                }
                return matchAll(fields, 0, values, 0, before)
                        && matchAll(fields, gap + 1, values, values.size() - after, after);
            };
        }

        private static boolean matchAll(List<Field> fields, int from, List<String> values, int valuesFrom, int count) {
            for (int i = 0; i < count; i++) {
                Field f = fields.get(from + i);
                if (f.op() != null && !f.operand().test(f.op(), values.get(valuesFrom + i))) {
                    return false;
                }
            }
            return true;
        }

        private static Field field(String f) {
            if (f.isEmpty()) {
                throw new Invalid("an empty field");
            }
            int i = 0;
            while (i < f.length() && (Character.isLetterOrDigit(f.charAt(i)) || f.charAt(i) == '_')) {
                i++;
            }
            if (i == 0) {
                throw new Invalid("a field must start with its name: " + f);
            }
            String rest = f.substring(i).strip();
            if (rest.isEmpty()) {
                return new Field(null, null);
            }
            for (String op : new String[] { "!=", "<=", ">=", "=", "<", ">" }) {
                if (rest.startsWith(op)) {
                    String value = rest.substring(op.length()).strip();
                    boolean quoted = value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"");
                    String token = quoted ? unescape(value.substring(1, value.length() - 1)) : value;
                    if (token.isEmpty() && !quoted) {
                        throw new Invalid("expected a value after " + op + " in " + f);
                    }
                    Operand operand = Operand.of(token, quoted);
                    if (!op.equals("=") && !op.equals("!=") && operand.number() == null) {
                        throw new Invalid(op + " compares numbers; '" + token + "' is not one");
                    }
                    return new Field(op, operand);
                }
            }
            throw new Invalid("expected a comparison in " + f);
        }

        /** The message's fields: split at spaces, a quoted or bracketed field kept whole (without its quotes or brackets). */
        private static List<String> split(String message) {
            List<String> out = new ArrayList<>();
            int i = 0;
            int n = message.length();
            while (i < n) {
                char c = message.charAt(i);
                if (Character.isWhitespace(c)) {
                    i++;
                    continue;
                }
                char close = c == '"' ? '"' : c == '[' ? ']' : 0;
                if (close != 0) {
                    int end = message.indexOf(close, i + 1);
                    if (end > 0) {
                        out.add(message.substring(i + 1, end));
                        i = end + 1;
                        continue;
                    }
                }
                int end = i;
                while (end < n && !Character.isWhitespace(message.charAt(end))) {
                    end++;
                }
                out.add(message.substring(i, end));
                i = end;
            }
            return out;
        }
    }
}
