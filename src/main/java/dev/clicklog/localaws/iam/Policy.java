package dev.clicklog.localaws.iam;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.clicklog.localaws.spi.RoleAccess;

/**
 * A policy document compiled for evaluation, as IAM evaluates one: statements apply when their
 * principal, action, resource and every condition match; an applicable Deny wins over any Allow.
 * Actions match without regard to case, resources and condition values with it; {@code *} and
 * {@code ?} are wildcards. Multi-valued keys (aws:TagKeys) take the set qualifiers
 * {@code ForAnyValue:} and {@code ForAllValues:}. A condition IAM would evaluate but this does not
 * know (an unknown operator or qualifier) fails closed: it never makes an Allow apply and always
 * lets a Deny apply.
 */
final class Policy {

    /** What a policy says about a request. */
    enum Outcome {
        NONE, ALLOW, DENY
    }

    /**
     * One request: who (a service principal, for trust policies), what, on what, with which
     * condition keys; a key has one value or (aws:TagKeys) several.
     */
    record Request(String servicePrincipal, String action, String resource, Map<String, List<String>> keys) {

        /** The values of a condition key; keys are case-insensitive, so {@code keys} holds them lower-cased. */
        List<String> key(String lowerCaseName) {
            return keys.get(lowerCaseName);
        }
    }

    private enum Match {
        YES, NO, UNKNOWN
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Policy EMPTY = new Policy(List.of());

    private final List<Statement> statements;

    private Policy(List<Statement> statements) {
        this.statements = statements;
    }

    /** Compiles a document IAM accepted; anything it cannot read is a policy that allows nothing. */
    static Policy parse(String document) {
        JsonNode root;
        try {
            root = document == null ? null : JSON.readTree(document);
        } catch (IOException e) {
            return EMPTY;
        }
        if (root == null || !root.isObject()) {
            return EMPTY;
        }
        List<Statement> statements = new ArrayList<>();
        JsonNode list = root.path("Statement");
        if (list.isArray()) {
            list.forEach(s -> statements.add(Statement.parse(s)));
        } else if (list.isObject()) {
            statements.add(Statement.parse(list));
        }
        return new Policy(List.copyOf(statements));
    }

    /**
     * What a principal's policies say together, as IAM combines them: any applicable Deny wins,
     * then any Allow; none is an implicit deny.
     */
    static RoleAccess.Decision decide(List<Policy> policies, Request request) {
        boolean allowed = false;
        for (Policy p : policies) {
            Outcome outcome = p.evaluate(request);
            if (outcome == Outcome.DENY) {
                return RoleAccess.Decision.EXPLICITLY_DENIED;
            }
            allowed |= outcome == Outcome.ALLOW;
        }
        return allowed ? RoleAccess.Decision.ALLOWED : RoleAccess.Decision.IMPLICITLY_DENIED;
    }

    Outcome evaluate(Request request) {
        boolean allowed = false;
        for (Statement s : statements) {
            Match m = s.matches(request);
            if (s.deny && m != Match.NO) {
                return Outcome.DENY;
            }
            allowed |= !s.deny && m == Match.YES;
        }
        return allowed ? Outcome.ALLOW : Outcome.NONE;
    }

    /** One statement; {@code principal} is null in identity policies, {@code resources} null in trust policies. */
    private record Statement(boolean deny, Principal principal, List<String> actions, boolean notAction,
            List<String> resources, boolean notResource, List<Condition> conditions) {

        static Statement parse(JsonNode s) {
            boolean deny = "Deny".equals(s.path("Effect").asText());
            Principal principal = s.has("Principal") ? Principal.parse(s.get("Principal"), false)
                    : s.has("NotPrincipal") ? Principal.parse(s.get("NotPrincipal"), true) : null;
            boolean notAction = !s.has("Action") && s.has("NotAction");
            List<String> actions = strings(s.get(notAction ? "NotAction" : "Action"));
            boolean notResource = !s.has("Resource") && s.has("NotResource");
            JsonNode resources = s.get(notResource ? "NotResource" : "Resource");
            List<Condition> conditions = new ArrayList<>();
            JsonNode c = s.path("Condition");
            for (Iterator<Map.Entry<String, JsonNode>> ops = c.fields(); ops.hasNext();) {
                Map.Entry<String, JsonNode> op = ops.next();
                for (Iterator<Map.Entry<String, JsonNode>> keys = op.getValue().fields(); keys.hasNext();) {
                    Map.Entry<String, JsonNode> key = keys.next();
                    conditions.add(Condition.of(op.getKey(), key.getKey(), strings(key.getValue())));
                }
            }
            return new Statement(deny, principal, actions, notAction, resources == null ? null : strings(resources),
                    notResource, List.copyOf(conditions));
        }

        Match matches(Request r) {
            if (principal != null && !principal.matches(r.servicePrincipal())) {
                return Match.NO;
            }
            if (anyMatches(actions, r.action(), true) == notAction) {
                return Match.NO;
            }
            if (resources != null && r.resource() != null && anyMatches(resources, r.resource(), false) == notResource) {
                return Match.NO;
            }
            Match result = Match.YES;
            for (Condition c : conditions) {
                Match m = c.evaluate(r);
                if (m == Match.NO) {
                    return Match.NO;
                }
                if (m == Match.UNKNOWN) {
                    result = Match.UNKNOWN;
                }
            }
            return result;
        }

        private static boolean anyMatches(List<String> patterns, String value, boolean ignoreCase) {
            for (String p : patterns) {
                if (Wildcards.matches(p, value, ignoreCase)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** A statement's Principal (or NotPrincipal): who it is about. Only service principals call here. */
    private record Principal(boolean anyone, Set<String> services, boolean negated) {

        static Principal parse(JsonNode node, boolean negated) {
            if (node.isTextual()) {
                return new Principal("*".equals(node.textValue()), Set.of(), negated);
            }
            boolean anyone = strings(node.get("AWS")).contains("*");
            Set<String> services = new HashSet<>();
            strings(node.get("Service")).forEach(s -> services.add(s.toLowerCase(Locale.ROOT)));
            return new Principal(anyone, Set.copyOf(services), negated);
        }

        boolean matches(String servicePrincipal) {
            boolean listed = anyone
                    || (servicePrincipal != null && services.contains(servicePrincipal.toLowerCase(Locale.ROOT)));
            return listed != negated;
        }
    }

    /** How a condition treats a key's several values: any value, every value, or one value. */
    private enum Qualifier {
        SINGLE, FOR_ANY_VALUE, FOR_ALL_VALUES
    }

    /** One key of one condition operator, e.g. {@code "StringEquals": {"sts:ExternalId": ["1", "2"]}}. */
    private record Condition(Qualifier qualifier, Operator operator, boolean ifExists, String key, List<String> values) {

        static Condition of(String operatorName, String key, List<String> values) {
            Qualifier qualifier = Qualifier.SINGLE;
            String name = operatorName;
            int colon = name.indexOf(':');
            if (colon >= 0) {
                String q = name.substring(0, colon);
                qualifier = q.equals("ForAnyValue") ? Qualifier.FOR_ANY_VALUE
                        : q.equals("ForAllValues") ? Qualifier.FOR_ALL_VALUES : null;
                name = name.substring(colon + 1);
            }
            boolean ifExists = name.endsWith("IfExists") && !name.equals("IfExists");
            if (ifExists) {
                name = name.substring(0, name.length() - "IfExists".length());
            }
            Operator op = Operator.named(name);
            if (op == Operator.NULL && ifExists) {
                op = null;
            }
            return new Condition(qualifier, qualifier == null ? null : op, ifExists, key.toLowerCase(Locale.ROOT), values);
        }

        Match evaluate(Request r) {
            if (operator == null) {
                return Match.UNKNOWN;
            }
            List<String> given = r.key(key);
            boolean absent = given == null || given.isEmpty();
            if (operator == Operator.NULL) {
                return values.stream().anyMatch(v -> Boolean.parseBoolean(v) == absent) ? Match.YES : Match.NO;
            }
            if (qualifier == Qualifier.FOR_ALL_VALUES) {
                // Every value the request carries must match; a request carrying none matches.
                return absent || given.stream().allMatch(this::matches) ? Match.YES : Match.NO;
            }
            if (qualifier == Qualifier.FOR_ANY_VALUE) {
                return !absent && given.stream().anyMatch(this::matches) ? Match.YES : Match.NO;
            }
            if (absent) {
                // An absent key matches nothing: only IfExists and the negated operators then hold.
                return ifExists || operator.negated ? Match.YES : Match.NO;
            }
            return given.stream().anyMatch(this::matches) ? Match.YES : Match.NO;
        }

        /** Whether one value of the request satisfies the operator against the policy's values. */
        private boolean matches(String value) {
            boolean any = false;
            for (String v : values) {
                any |= operator.test(v, value);
            }
            return any != operator.negated;
        }
    }

    /** The condition operators evaluated here; any other one is unknown and fails closed. */
    private enum Operator {
        STRING_EQUALS("StringEquals", false), STRING_NOT_EQUALS("StringNotEquals", true),
        STRING_EQUALS_IGNORE_CASE("StringEqualsIgnoreCase", false),
        STRING_NOT_EQUALS_IGNORE_CASE("StringNotEqualsIgnoreCase", true),
        STRING_LIKE("StringLike", false), STRING_NOT_LIKE("StringNotLike", true),
        ARN_EQUALS("ArnEquals", false), ARN_NOT_EQUALS("ArnNotEquals", true),
        ARN_LIKE("ArnLike", false), ARN_NOT_LIKE("ArnNotLike", true),
        NULL("Null", false);

        final String policyName;
        final boolean negated;

        Operator(String policyName, boolean negated) {
            this.policyName = policyName;
            this.negated = negated;
        }

        static Operator named(String name) {
            for (Operator o : values()) {
                if (o.policyName.equals(name)) {
                    return o;
                }
            }
            return null;
        }

        /** Whether the policy's value matches the request's (before negation). */
        boolean test(String policyValue, String requestValue) {
            return switch (this) {
                case STRING_EQUALS, STRING_NOT_EQUALS -> policyValue.equals(requestValue);
                case STRING_EQUALS_IGNORE_CASE, STRING_NOT_EQUALS_IGNORE_CASE -> policyValue.equalsIgnoreCase(requestValue);
                case STRING_LIKE, STRING_NOT_LIKE -> Wildcards.matches(policyValue, requestValue, false);
                case ARN_EQUALS, ARN_NOT_EQUALS, ARN_LIKE, ARN_NOT_LIKE -> arnMatches(policyValue, requestValue);
                case NULL -> false;
            };
        }

        /** ARNs match component by component, each of the six with its own wildcards. */
        private static boolean arnMatches(String pattern, String arn) {
            String[] p = pattern.split(":", 6);
            String[] a = arn.split(":", 6);
            if (p.length != 6 || a.length != 6) {
                return false;
            }
            for (int i = 0; i < 6; i++) {
                if (!Wildcards.matches(p[i], a[i], false)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** A string-or-list member as strings (numbers and booleans by their text); absent: empty. */
    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (node.isArray()) {
            node.forEach(n -> out.add(n.asText()));
        } else {
            out.add(node.asText());
        }
        return out;
    }
}
