package dev.clicklog.localaws.iam;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.clicklog.localaws.protocol.AwsServiceException;

/**
 * IAM's grammar check of policy documents: what IAM refuses with MalformedPolicyDocument, for
 * identity policies (inline role policies) and for trust policies (a role's assume-role policy).
 */
final class PolicyDocuments {

    enum Kind {
        IDENTITY, TRUST
    }

    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Set<String> VERSIONS = Set.of("2012-10-17", "2008-10-17");
    private static final Set<String> TOP_LEVEL = Set.of("Version", "Id", "Statement");
    private static final Set<String> STATEMENT_FIELDS = Set.of("Sid", "Effect", "Principal", "NotPrincipal", "Action",
            "NotAction", "Resource", "NotResource", "Condition");
    private static final Set<String> PRINCIPAL_TYPES = Set.of("AWS", "Service", "Federated", "CanonicalUser");
    private static final Pattern ACTION = Pattern.compile("\\*|[A-Za-z0-9-]+:[A-Za-z0-9*?]*");

    private PolicyDocuments() {
    }

    /** Throws MalformedPolicyDocument unless the document is a policy IAM would accept here. */
    static void validate(String document, Kind kind) {
        JsonNode root;
        try {
            root = STRICT.readTree(document);
        } catch (IOException e) {
            throw malformed("This policy contains invalid Json");
        }
        if (root == null || !root.isObject()) {
            throw malformed("This policy contains invalid Json");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext();) {
            String field = it.next();
            if (!TOP_LEVEL.contains(field)) {
                throw malformed("Syntax errors in policy.");
            }
        }
        JsonNode version = root.get("Version");
        if (version != null && !(version.isTextual() && VERSIONS.contains(version.textValue()))) {
            throw malformed("The policy failed legacy parsing");
        }
        JsonNode statements = root.get("Statement");
        if (statements == null) {
            throw malformed("Missing required field Statement");
        }
        List<JsonNode> list = new ArrayList<>();
        if (statements.isArray()) {
            statements.forEach(list::add);
        } else {
            list.add(statements);
        }
        if (list.isEmpty()) {
            throw malformed("Missing required field Statement");
        }
        for (JsonNode statement : list) {
            validateStatement(statement, kind);
        }
    }

    /** The size IAM counts against its policy-size quotas: characters other than white space. */
    static int quotaSize(String document) {
        int n = 0;
        for (int i = 0; i < document.length(); i++) {
            if (!Character.isWhitespace(document.charAt(i))) {
                n++;
            }
        }
        return n;
    }

    private static void validateStatement(JsonNode statement, Kind kind) {
        if (!statement.isObject()) {
            throw malformed("Syntax errors in policy.");
        }
        for (Iterator<String> it = statement.fieldNames(); it.hasNext();) {
            if (!STATEMENT_FIELDS.contains(it.next())) {
                throw malformed("Syntax errors in policy.");
            }
        }
        JsonNode effect = statement.get("Effect");
        if (effect == null) {
            throw malformed("Missing required field Effect");
        }
        if (!effect.isTextual() || !(effect.textValue().equals("Allow") || effect.textValue().equals("Deny"))) {
            throw malformed("Invalid effect: " + effect.asText());
        }
        boolean hasAction = statement.has("Action");
        if (hasAction == statement.has("NotAction")) {
            throw malformed("Policy statement must contain actions.");
        }
        for (String action : strings(statement.get(hasAction ? "Action" : "NotAction"))) {
            if (!ACTION.matcher(action).matches()) {
                throw malformed("Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.");
            }
        }
        boolean hasPrincipal = statement.has("Principal") || statement.has("NotPrincipal");
        boolean hasResource = statement.has("Resource") || statement.has("NotResource");
        if (kind == Kind.IDENTITY) {
            if (hasPrincipal) {
                throw malformed("Policy document should not specify a principal.");
            }
            if (!hasResource) {
                throw malformed("Policy statement must contain resources.");
            }
            JsonNode resources = statement.has("Resource") ? statement.get("Resource") : statement.get("NotResource");
            for (String resource : strings(resources)) {
                if (!resource.equals("*") && !resource.startsWith("arn:")) {
                    throw malformed("Resource " + resource + " must be in ARN format or \"*\".");
                }
            }
        } else {
            if (hasResource) {
                throw malformed("Has prohibited field Resource");
            }
            if (!hasPrincipal) {
                throw malformed("Missing required field Principal");
            }
            validatePrincipal(statement.has("Principal") ? statement.get("Principal") : statement.get("NotPrincipal"));
        }
        JsonNode condition = statement.get("Condition");
        if (condition != null) {
            if (!condition.isObject()) {
                throw malformed("Syntax errors in policy.");
            }
            condition.forEach(operator -> {
                if (!operator.isObject()) {
                    throw malformed("Syntax errors in policy.");
                }
            });
        }
    }

    private static void validatePrincipal(JsonNode principal) {
        if (principal.isTextual() && principal.textValue().equals("*")) {
            return;
        }
        if (!principal.isObject() || principal.isEmpty()) {
            throw malformed("Invalid principal in policy: " + principal);
        }
        for (Iterator<String> it = principal.fieldNames(); it.hasNext();) {
            String type = it.next();
            if (!PRINCIPAL_TYPES.contains(type)) {
                throw malformed("Invalid principal in policy: \"" + type + "\"");
            }
            for (String value : strings(principal.get(type))) {
                if (value.isBlank()) {
                    throw malformed("Invalid principal in policy: \"" + type + "\":\"\"");
                }
            }
        }
    }

    /** A string-or-array-of-strings member; anything else is a syntax error. */
    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isTextual()) {
            out.add(node.textValue());
        } else if (node.isArray() && !node.isEmpty()) {
            for (JsonNode item : node) {
                if (!item.isTextual()) {
                    throw malformed("Syntax errors in policy.");
                }
                out.add(item.textValue());
            }
        } else {
            throw malformed("Syntax errors in policy.");
        }
        return out;
    }

    private static AwsServiceException malformed(String message) {
        return AwsServiceException.badRequest("MalformedPolicyDocument", message);
    }
}
