package dev.clicklog.localaws.cloudwatch;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.DoubleBinaryOperator;
import java.util.function.Function;

/**
 * The arithmetic part of CloudWatch's metric math: numbers, the Ids of other queries, + - * / ^,
 * unary minus and parentheses. Between two time series an operator applies to the values of equal
 * timestamps (a timestamp missing from either is missing from the result); between a series and a
 * number, to every value. Results that are not finite (a division by zero) are left out. Functions
 * (SUM, FILL, METRICS, …) are not supported and are rejected when the expression is parsed.
 */
final class MetricMath {

    /** A parsed expression. */
    sealed interface Node permits Constant, Reference, Negation, Operation {
    }

    record Constant(double value) implements Node {
    }

    record Reference(String id) implements Node {
    }

    record Negation(Node operand) implements Node {
    }

    record Operation(char operator, Node left, Node right) implements Node {
    }

    /** An expression that does not parse; the message says why. */
    static final class InvalidExpression extends RuntimeException {
        InvalidExpression(String message) {
            super(message, null, false, false);
        }
    }

    private final List<String> tokens;
    private int position;

    private MetricMath(List<String> tokens) {
        this.tokens = tokens;
    }

    static Node parse(String expression) {
        MetricMath parser = new MetricMath(tokenize(expression));
        Node node = parser.sum();
        if (parser.position < parser.tokens.size()) {
            throw new InvalidExpression("Unexpected '" + parser.tokens.get(parser.position) + "'");
        }
        return node;
    }

    /** The Ids the expression refers to. */
    static Set<String> references(Node node) {
        Set<String> ids = new LinkedHashSet<>();
        collect(node, ids);
        return ids;
    }

    private static void collect(Node node, Set<String> ids) {
        if (node instanceof Reference r) {
            ids.add(r.id());
        } else if (node instanceof Negation n) {
            collect(n.operand(), ids);
        } else if (node instanceof Operation o) {
            collect(o.left(), ids);
            collect(o.right(), ids);
        }
    }

    /**
     * Evaluates an expression that refers to at least one query; {@code series} gives the values of a
     * referenced Id by timestamp.
     */
    static NavigableMap<Instant, Double> evaluate(Node node, Function<String, NavigableMap<Instant, Double>> series) {
        Object value = value(node, series);
        if (!(value instanceof NavigableMap)) {
            throw new IllegalStateException("expression without a metric: validated before evaluation");
        }
        @SuppressWarnings("unchecked")
        NavigableMap<Instant, Double> result = (NavigableMap<Instant, Double>) value;
        result.values().removeIf(v -> !Double.isFinite(v));
        return result;
    }

    /** A Double for a constant, a NavigableMap for a time series. */
    private static Object value(Node node, Function<String, NavigableMap<Instant, Double>> series) {
        if (node instanceof Constant n) {
            return n.value();
        }
        if (node instanceof Reference r) {
            return new TreeMap<>(series.apply(r.id()));
        }
        if (node instanceof Negation n) {
            return apply((a, b) -> -a, value(n.operand(), series), 0.0);
        }
        Operation o = (Operation) node;
        return apply(operator(o.operator()), value(o.left(), series), value(o.right(), series));
    }

    private static DoubleBinaryOperator operator(char operator) {
        return switch (operator) {
            case '+' -> Double::sum;
            case '-' -> (a, b) -> a - b;
            case '*' -> (a, b) -> a * b;
            case '/' -> (a, b) -> a / b;
            default -> Math::pow;
        };
    }

    @SuppressWarnings("unchecked")
    private static Object apply(DoubleBinaryOperator op, Object left, Object right) {
        if (left instanceof Double a && right instanceof Double b) {
            return op.applyAsDouble(a, b);
        }
        NavigableMap<Instant, Double> out = new TreeMap<>();
        if (left instanceof NavigableMap && right instanceof NavigableMap) {
            NavigableMap<Instant, Double> l = (NavigableMap<Instant, Double>) left;
            NavigableMap<Instant, Double> r = (NavigableMap<Instant, Double>) right;
            l.forEach((t, a) -> {
                Double b = r.get(t);
                if (b != null) {
                    out.put(t, op.applyAsDouble(a, b));
                }
            });
        } else if (left instanceof NavigableMap) {
            double b = (Double) right;
            ((Map<Instant, Double>) left).forEach((t, a) -> out.put(t, op.applyAsDouble(a, b)));
        } else {
            double a = (Double) left;
            ((Map<Instant, Double>) right).forEach((t, b) -> out.put(t, op.applyAsDouble(a, b)));
        }
        return out;
    }

    // ---- Parsing: sum := product (('+'|'-') product)*; product := unary (('*'|'/') unary)*;
    //      unary := '-' unary | power; power := primary ('^' unary)?; primary := number | id | '(' sum ')'

    private Node sum() {
        Node node = product();
        while (peek("+") || peek("-")) {
            char op = tokens.get(position++).charAt(0);
            node = new Operation(op, node, product());
        }
        return node;
    }

    private Node product() {
        Node node = unary();
        while (peek("*") || peek("/")) {
            char op = tokens.get(position++).charAt(0);
            node = new Operation(op, node, unary());
        }
        return node;
    }

    private Node unary() {
        if (peek("-")) {
            position++;
            return new Negation(unary());
        }
        Node base = primary();
        if (peek("^")) {
            position++;
            return new Operation('^', base, unary());
        }
        return base;
    }

    private Node primary() {
        if (position >= tokens.size()) {
            throw new InvalidExpression("Unexpected end of expression");
        }
        String token = tokens.get(position++);
        if (token.equals("(")) {
            Node inner = sum();
            if (!peek(")")) {
                throw new InvalidExpression("Missing ')'");
            }
            position++;
            return inner;
        }
        char first = token.charAt(0);
        if (Character.isDigit(first) || first == '.') {
            try {
                return new Constant(Double.parseDouble(token));
            } catch (NumberFormatException e) {
                throw new InvalidExpression("Invalid number '" + token + "'");
            }
        }
        if (Character.isLetter(first) || first == '_') {
            if (peek("(")) {
                throw new InvalidExpression("Unsupported function " + token
                        + ": this endpoint evaluates arithmetic between queries (+ - * / ^) only");
            }
            return new Reference(token);
        }
        throw new InvalidExpression("Unexpected '" + token + "'");
    }

    private boolean peek(String token) {
        return position < tokens.size() && tokens.get(position).equals(token);
    }

    private static List<String> tokenize(String expression) {
        List<String> tokens = new ArrayList<>();
        int i = 0;
        int n = expression.length();
        while (i < n) {
            char c = expression.charAt(i);
            int start = i;
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            if ("+-*/^()".indexOf(c) >= 0) {
                i++;
            } else if (Character.isDigit(c) || c == '.') {
                while (i < n && (Character.isDigit(expression.charAt(i)) || expression.charAt(i) == '.')) {
                    i++;
                }
                if (i < n && (expression.charAt(i) == 'e' || expression.charAt(i) == 'E')) {
                    i++;
                    if (i < n && (expression.charAt(i) == '+' || expression.charAt(i) == '-')) {
                        i++;
                    }
                    while (i < n && Character.isDigit(expression.charAt(i))) {
                        i++;
                    }
                }
            } else if (Character.isLetter(c) || c == '_') {
                while (i < n && (Character.isLetterOrDigit(expression.charAt(i)) || expression.charAt(i) == '_')) {
                    i++;
                }
            } else {
                // Commas, brackets, quotes…: left to the parser, which names what it cannot handle.
                i++;
            }
            tokens.add(expression.substring(start, i));
        }
        if (tokens.isEmpty()) {
            throw new InvalidExpression("Empty expression");
        }
        return tokens;
    }
}
