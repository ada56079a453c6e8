package dev.clicklog.testing;

import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import software.amazon.awssdk.services.iam.IamClient;

/**
 * IAM roles for tests, made through the real IAM API as a person would make them: trusted by one
 * service, with one least-privilege inline policy, each under a unique name.
 */
public final class TestRoles {

    /** A role made here: its name (to change its policy) and its ARN. */
    public record Role(String name, String arn) {
    }

    public static final String POLICY = "least-privilege";

    private final IamClient iam;

    public TestRoles(IamClient iam) {
        this.iam = iam;
    }

    /** A role (named from the prefix) that {@code service} may assume, with one inline policy of these statements. */
    public Role create(String prefix, String service, String... statements) {
        String name = (prefix + "-" + UUID.randomUUID().toString().substring(0, 8));
        String arn = iam.createRole(b -> b.roleName(name).assumeRolePolicyDocument(trust(service))).role().arn();
        Role role = new Role(name, arn);
        if (statements.length > 0) {
            putPolicy(role, statements);
        }
        return role;
    }

    /** Replaces the role's inline policy with these statements. */
    public void putPolicy(Role role, String... statements) {
        iam.putRolePolicy(b -> b.roleName(role.name()).policyName(POLICY).policyDocument(document(statements)));
    }

    /** A trust policy letting one service assume the role. */
    public static String trust(String service) {
        return document("{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"" + service + "\"},\"Action\":\"sts:AssumeRole\"}");
    }

    public static String document(String... statements) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
    }

    public static String allow(List<String> actions, String... resources) {
        return statement("Allow", actions, resources);
    }

    public static String deny(List<String> actions, String... resources) {
        return statement("Deny", actions, resources);
    }

    private static String statement(String effect, List<String> actions, String... resources) {
        return "{\"Effect\":\"" + effect + "\",\"Action\":" + quoted(actions) + ",\"Resource\":" + quoted(List.of(resources))
                + "}";
    }

    private static String quoted(List<String> values) {
        return values.stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(",", "[", "]"));
    }

    /** What Firehose needs to read a stream. */
    public static String readStream(String streamArn) {
        return allow(List.of("kinesis:DescribeStream", "kinesis:GetShardIterator", "kinesis:GetRecords",
                "kinesis:ListShards"), streamArn);
    }

    /** What Firehose needs to write objects under a prefix of a bucket. */
    public static String writeObjects(String bucket, String prefix) {
        return allow(List.of("s3:PutObject"), "arn:aws:s3:::" + bucket + "/" + prefix + "*");
    }

    /** What API Gateway needs to put records into a stream. */
    public static String putRecords(String streamArn) {
        return allow(List.of("kinesis:PutRecord", "kinesis:PutRecords"), streamArn);
    }
}
