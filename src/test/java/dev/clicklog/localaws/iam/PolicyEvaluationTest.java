package dev.clicklog.localaws.iam;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.clicklog.localaws.iam.Policy.Outcome;

/** IAM's evaluation rules for identity and trust policies, one rule at a time. */
class PolicyEvaluationTest {

    static final String STREAM = "arn:aws:kinesis:us-east-1:000000000000:stream/clicks";
    static final String OTHER_STREAM = "arn:aws:kinesis:us-east-1:000000000000:stream/other";

    static Policy policy(String statements) {
        return Policy.parse("{\"Version\":\"2012-10-17\",\"Statement\":[" + statements + "]}");
    }

    static Outcome identity(Policy p, String action, String resource, String... keyValues) {
        return p.evaluate(new Policy.Request(null, action, resource, keys(keyValues)));
    }

    static Outcome trust(Policy p, String service, String... keyValues) {
        return p.evaluate(new Policy.Request(service, "sts:AssumeRole", "arn:aws:iam::000000000000:role/r", keys(keyValues)));
    }

    /** Keys and values in pairs; a key given twice has several values. */
    static Map<String, List<String>> keys(String... keyValues) {
        Map<String, List<String>> keys = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            keys.computeIfAbsent(keyValues[i].toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(keyValues[i + 1]);
        }
        return keys;
    }

    static String allow(String action, String resource) {
        return "{\"Effect\":\"Allow\",\"Action\":" + action + ",\"Resource\":" + resource + "}";
    }

    @Test
    void anAllowCoversExactlyItsActionsAndResources() {
        Policy p = policy(allow("[\"kinesis:PutRecord\",\"kinesis:PutRecords\"]", "\"" + STREAM + "\""));
        assertEquals(Outcome.ALLOW, identity(p, "kinesis:PutRecord", STREAM));
        assertEquals(Outcome.ALLOW, identity(p, "kinesis:PutRecords", STREAM));
        assertEquals(Outcome.NONE, identity(p, "kinesis:GetRecords", STREAM), "another action");
        assertEquals(Outcome.NONE, identity(p, "kinesis:PutRecord", OTHER_STREAM), "another stream");
        assertEquals(Outcome.NONE, identity(p, "firehose:PutRecord", STREAM), "another service");
    }

    @Test
    void actionsMatchWithoutCaseResourcesWithCase() {
        Policy p = policy(allow("\"Kinesis:putrecord\"", "\"" + STREAM + "\""));
        assertEquals(Outcome.ALLOW, identity(p, "kinesis:PutRecord", STREAM));
        assertEquals(Outcome.NONE, identity(p, "kinesis:PutRecord", STREAM.replace("clicks", "Clicks")));
    }

    @Test
    void wildcardsInActionsAndResources() {
        Policy p = policy(allow("\"kinesis:Put*\"", "\"arn:aws:kinesis:*:000000000000:stream/click?\""));
        assertEquals(Outcome.ALLOW, identity(p, "kinesis:PutRecords", STREAM));
        assertEquals(Outcome.ALLOW, identity(p, "kinesis:Put", STREAM), "* matches nothing too");
        assertEquals(Outcome.NONE, identity(p, "kinesis:GetRecords", STREAM));
        assertEquals(Outcome.NONE, identity(p, "kinesis:PutRecord", STREAM + "x"), "? is exactly one character");
        assertEquals(Outcome.NONE, identity(p, "kinesis:PutRecord", "arn:aws:kinesis:us-east-1:000000000000:stream/click"));
        Policy everything = policy(allow("\"*\"", "\"*\""));
        assertEquals(Outcome.ALLOW, identity(everything, "s3:PutObject", "arn:aws:s3:::bucket/a/b"));
        Policy s3 = policy(allow("\"s3:PutObject\"", "\"arn:aws:s3:::bucket/clicks/*\""));
        assertEquals(Outcome.ALLOW, identity(s3, "s3:PutObject", "arn:aws:s3:::bucket/clicks/2026/05/01/x"));
        assertEquals(Outcome.NONE, identity(s3, "s3:PutObject", "arn:aws:s3:::bucket/errors/x"));
    }

    @Test
    void anExplicitDenyWinsOverAnyAllow() {
        Policy p = policy(allow("\"kinesis:*\"", "\"*\"") + ","
                + "{\"Effect\":\"Deny\",\"Action\":\"kinesis:PutRecords\",\"Resource\":\"" + STREAM + "\"}");
        assertEquals(Outcome.ALLOW, identity(p, "kinesis:PutRecord", STREAM));
        assertEquals(Outcome.DENY, identity(p, "kinesis:PutRecords", STREAM));
        assertEquals(Outcome.ALLOW, identity(p, "kinesis:PutRecords", OTHER_STREAM));
    }

    @Test
    void notActionAndNotResourceApplyToEverythingElse() {
        Policy p = policy("{\"Effect\":\"Allow\",\"NotAction\":\"kinesis:Delete*\",\"NotResource\":\"" + OTHER_STREAM + "\"}");
        assertEquals(Outcome.ALLOW, identity(p, "kinesis:PutRecord", STREAM));
        assertEquals(Outcome.NONE, identity(p, "kinesis:DeleteStream", STREAM));
        assertEquals(Outcome.NONE, identity(p, "kinesis:PutRecord", OTHER_STREAM));
        Policy deny = policy(allow("\"*\"", "\"*\"") + ",{\"Effect\":\"Deny\",\"NotAction\":\"kinesis:PutRecord\",\"Resource\":\"*\"}");
        assertEquals(Outcome.ALLOW, identity(deny, "kinesis:PutRecord", STREAM));
        assertEquals(Outcome.DENY, identity(deny, "kinesis:PutRecords", STREAM));
    }

    static Policy conditional(String operator, String key, String values) {
        return policy("{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"" + operator + "\":{\""
                + key + "\":" + values + "}}}");
    }

    @Test
    void stringConditions() {
        Policy equals = conditional("StringEquals", "aws:SourceAccount", "[\"111111111111\",\"000000000000\"]");
        assertEquals(Outcome.ALLOW, identity(equals, "a:b", STREAM, "aws:SourceAccount", "000000000000"), "any value");
        assertEquals(Outcome.NONE, identity(equals, "a:b", STREAM, "aws:SourceAccount", "222222222222"));
        assertEquals(Outcome.ALLOW, identity(equals, "a:b", STREAM, "AWS:sourceaccount", "000000000000"),
                "key names without case");
        Policy like = conditional("StringLike", "s3:prefix", "\"clicks/*\"");
        assertEquals(Outcome.ALLOW, identity(like, "a:b", STREAM, "s3:prefix", "clicks/2026/"));
        assertEquals(Outcome.NONE, identity(like, "a:b", STREAM, "s3:prefix", "Clicks/2026/"), "values with case");
        Policy notEquals = conditional("StringNotEquals", "sts:ExternalId", "\"a\"");
        assertEquals(Outcome.NONE, identity(notEquals, "a:b", STREAM, "sts:ExternalId", "a"));
        assertEquals(Outcome.ALLOW, identity(notEquals, "a:b", STREAM, "sts:ExternalId", "b"));
        Policy notLike = conditional("StringNotLike", "s3:prefix", "[\"a*\",\"b*\"]");
        assertEquals(Outcome.NONE, identity(notLike, "a:b", STREAM, "s3:prefix", "b1"), "matches one of the values");
        assertEquals(Outcome.ALLOW, identity(notLike, "a:b", STREAM, "s3:prefix", "c1"));
    }

    @Test
    void aKeyTheRequestDoesNotCarry() {
        String key = "aws:SourceArn";
        assertEquals(Outcome.NONE, identity(conditional("StringEquals", key, "\"x\""), "a:b", STREAM), "a match fails");
        assertEquals(Outcome.NONE, identity(conditional("StringLike", key, "\"*\""), "a:b", STREAM));
        assertEquals(Outcome.NONE, identity(conditional("ArnLike", key, "\"*\""), "a:b", STREAM));
        assertEquals(Outcome.ALLOW, identity(conditional("StringEqualsIfExists", key, "\"x\""), "a:b", STREAM),
                "...IfExists holds when the key is absent");
        assertEquals(Outcome.NONE, identity(conditional("StringEqualsIfExists", key, "\"x\""), "a:b", STREAM, key, "y"),
                "...IfExists still compares a present key");
        assertEquals(Outcome.ALLOW, identity(conditional("StringNotEquals", key, "\"x\""), "a:b", STREAM),
                "a negated operator holds for an absent key, as IAM documents");
        assertEquals(Outcome.ALLOW, identity(conditional("Null", key, "\"true\""), "a:b", STREAM));
        assertEquals(Outcome.NONE, identity(conditional("Null", key, "\"true\""), "a:b", STREAM, key, "x"));
    }

    @Test
    void arnConditionsMatchComponentByComponent() {
        Policy like = conditional("ArnLike", "aws:SourceArn", "\"arn:aws:firehose:*:000000000000:deliverystream/clicks-*\"");
        assertEquals(Outcome.ALLOW, identity(like, "a:b", STREAM, "aws:SourceArn",
                "arn:aws:firehose:eu-west-1:000000000000:deliverystream/clicks-to-s3"));
        assertEquals(Outcome.NONE, identity(like, "a:b", STREAM, "aws:SourceArn",
                "arn:aws:firehose:eu-west-1:111111111111:deliverystream/clicks-to-s3"));
        assertEquals(Outcome.NONE, identity(like, "a:b", STREAM, "aws:SourceArn", "not-an-arn"));
        Policy equals = conditional("ArnEquals", "aws:SourceArn", "\"" + STREAM + "\"");
        assertEquals(Outcome.ALLOW, identity(equals, "a:b", STREAM, "aws:SourceArn", STREAM));
        assertEquals(Outcome.NONE, identity(equals, "a:b", STREAM, "aws:SourceArn", OTHER_STREAM));
        Policy notLike = conditional("ArnNotLike", "aws:SourceArn", "\"arn:aws:kinesis:*:*:stream/other\"");
        assertEquals(Outcome.ALLOW, identity(notLike, "a:b", STREAM, "aws:SourceArn", STREAM));
        assertEquals(Outcome.NONE, identity(notLike, "a:b", STREAM, "aws:SourceArn", OTHER_STREAM));
    }

    @Test
    void everyOperatorAndKeyOfAStatementMustHold() {
        Policy p = policy("{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{"
                + "\"StringEquals\":{\"k1\":\"a\",\"k2\":\"b\"},\"StringLike\":{\"k3\":\"c*\"}}}");
        assertEquals(Outcome.ALLOW, identity(p, "a:b", STREAM, "k1", "a", "k2", "b", "k3", "cc"));
        assertEquals(Outcome.NONE, identity(p, "a:b", STREAM, "k1", "a", "k2", "x", "k3", "cc"));
        assertEquals(Outcome.NONE, identity(p, "a:b", STREAM, "k1", "a", "k2", "b", "k3", "x"));
    }

    @Test
    void anOperatorThisDoesNotEvaluateFailsClosed() {
        for (String operator : new String[] { "NumericLessThan", "ForSomeValues:StringEquals", "DateGreaterThan",
                "NullIfExists" }) {
            Policy allow = conditional(operator, "k", "\"1\"");
            assertEquals(Outcome.NONE, identity(allow, "a:b", STREAM, "k", "1"), operator + " never makes an Allow apply");
            Policy deny = policy(allow("\"*\"", "\"*\"") + ",{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\","
                    + "\"Condition\":{\"" + operator + "\":{\"k\":\"1\"}}}");
            assertEquals(Outcome.DENY, identity(deny, "a:b", STREAM, "k", "2"), operator + " always lets a Deny apply");
        }
        Policy known = policy(allow("\"*\"", "\"*\"") + ",{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\","
                + "\"Condition\":{\"StringEquals\":{\"k\":\"1\"},\"NumericLessThan\":{\"n\":\"1\"}}}");
        assertEquals(Outcome.ALLOW, identity(known, "a:b", STREAM, "k", "2"), "a known condition that fails decides");
    }

    @Test
    void setQualifiersWeighEveryValueOfAMultiValuedKey() {
        Policy all = conditional("ForAllValues:StringEquals", "aws:TagKeys", "[\"team\",\"managed-by\"]");
        assertEquals(Outcome.ALLOW, identity(all, "a:b", STREAM, "aws:TagKeys", "team", "aws:TagKeys", "managed-by"));
        assertEquals(Outcome.NONE, identity(all, "a:b", STREAM, "aws:TagKeys", "team", "aws:TagKeys", "owner"),
                "one key outside the list");
        assertEquals(Outcome.ALLOW, identity(all, "a:b", STREAM), "no keys at all: every one of none is listed");
        Policy any = conditional("ForAnyValue:StringLike", "aws:TagKeys", "\"clicklog:*\"");
        assertEquals(Outcome.ALLOW, identity(any, "a:b", STREAM, "aws:TagKeys", "owner", "aws:TagKeys", "clicklog:team"));
        assertEquals(Outcome.NONE, identity(any, "a:b", STREAM, "aws:TagKeys", "owner"));
        assertEquals(Outcome.NONE, identity(any, "a:b", STREAM), "no keys: none of them matches");
        Policy notAll = conditional("ForAllValues:StringNotEquals", "aws:TagKeys", "\"managed-by\"");
        assertEquals(Outcome.ALLOW, identity(notAll, "a:b", STREAM, "aws:TagKeys", "team"));
        assertEquals(Outcome.NONE, identity(notAll, "a:b", STREAM, "aws:TagKeys", "team", "aws:TagKeys", "managed-by"));
    }

    static final String TRUST = "{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"firehose.amazonaws.com\"},"
            + "\"Action\":\"sts:AssumeRole\"%s}";

    @Test
    void trustPoliciesNameTheServicesThatMayAssume() {
        Policy p = policy(String.format(TRUST, ""));
        assertEquals(Outcome.ALLOW, trust(p, "firehose.amazonaws.com"));
        assertEquals(Outcome.NONE, trust(p, "apigateway.amazonaws.com"));
        Policy list = policy("{\"Effect\":\"Allow\",\"Principal\":{\"Service\":[\"a.amazonaws.com\",\"apigateway.amazonaws.com\"]},"
                + "\"Action\":[\"sts:AssumeRole\",\"sts:TagSession\"]}");
        assertEquals(Outcome.ALLOW, trust(list, "apigateway.amazonaws.com"));
        Policy account = policy("{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::000000000000:root\"},"
                + "\"Action\":\"sts:AssumeRole\"}");
        assertEquals(Outcome.NONE, trust(account, "apigateway.amazonaws.com"), "an account is not a service");
        Policy anyone = policy("{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"sts:*\"}");
        assertEquals(Outcome.ALLOW, trust(anyone, "apigateway.amazonaws.com"));
        Policy otherAction = policy("{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"sts:AssumeRoleWithSAML\"}");
        assertEquals(Outcome.NONE, trust(otherAction, "apigateway.amazonaws.com"));
    }

    @Test
    void trustPoliciesWithDenyNotPrincipalAndConditions() {
        Policy externalId = policy(String.format(TRUST, ",\"Condition\":{\"StringEquals\":{\"sts:ExternalId\":\"000000000000\"}}"));
        assertEquals(Outcome.ALLOW, trust(externalId, "firehose.amazonaws.com", "sts:ExternalId", "000000000000"));
        assertEquals(Outcome.NONE, trust(externalId, "firehose.amazonaws.com", "sts:ExternalId", "111111111111"));
        assertEquals(Outcome.NONE, trust(externalId, "firehose.amazonaws.com"));
        Policy denied = policy(String.format(TRUST, "") + ",{\"Effect\":\"Deny\",\"Principal\":{\"Service\":"
                + "\"firehose.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}");
        assertEquals(Outcome.DENY, trust(denied, "firehose.amazonaws.com"));
        Policy notPrincipal = policy("{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"sts:AssumeRole\"},"
                + "{\"Effect\":\"Deny\",\"NotPrincipal\":{\"Service\":\"firehose.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}");
        assertEquals(Outcome.ALLOW, trust(notPrincipal, "firehose.amazonaws.com"));
        assertEquals(Outcome.DENY, trust(notPrincipal, "apigateway.amazonaws.com"));
    }

    @Test
    void aDocumentThatCannotBeReadAllowsNothing() {
        assertEquals(Outcome.NONE, identity(Policy.parse("not json"), "a:b", STREAM));
        assertEquals(Outcome.ALLOW, identity(Policy.parse("{\"Statement\":" + allow("\"*\"", "\"*\"") + "}"), "a:b", STREAM),
                "a single statement need not be in a list");
    }

    @Test
    void wildcardMatching() {
        assertEquals(true, Wildcards.matches("a*b*c", "axxbyyc", false));
        assertEquals(true, Wildcards.matches("a*b*c", "abbbc", false));
        assertEquals(false, Wildcards.matches("a*b*c", "axxbyy", false));
        assertEquals(true, Wildcards.matches("**", "", false));
        assertEquals(false, Wildcards.matches("?", "", false));
        assertEquals(true, Wildcards.matches("KINESIS:*", "kinesis:PutRecord", true));
        assertEquals(false, Wildcards.matches("KINESIS:*", "kinesis:PutRecord", false));
    }
}
