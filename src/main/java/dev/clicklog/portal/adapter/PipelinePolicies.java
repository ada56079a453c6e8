package dev.clicklog.portal.adapter;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The IAM policy documents of a pipeline's roles, least privilege: each role may do exactly what its
 * service needs, on this pipeline's stream, bucket and prefixes only.
 */
public final class PipelinePolicies {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VERSION = "2012-10-17";

    private PipelinePolicies() {
    }

    /** A trust policy letting one AWS service assume the role (on behalf of this account only, if given). */
    public static String trust(String servicePrincipal, String externalId) {
        ObjectNode statement = JSON.createObjectNode();
        statement.put("Effect", "Allow");
        statement.putObject("Principal").put("Service", servicePrincipal);
        statement.put("Action", "sts:AssumeRole");
        if (externalId != null) {
            statement.putObject("Condition").putObject("StringEquals").put("sts:ExternalId", externalId);
        }
        return document(statement);
    }

    /** API Gateway's role: write clicks into this one stream. */
    public static String putRecords(String streamArn) {
        return document(allow("PutClicks", List.of("kinesis:PutRecord", "kinesis:PutRecords"), List.of(streamArn)));
    }

    /**
     * Firehose's role: read this one stream, and write objects under the pipeline's data and error
     * prefixes of its bucket. Listing is limited to those prefixes when the bucket is shared — in a
     * statement of its own: S3 sets the {@code s3:prefix} condition key only on list requests, so
     * GetBucketLocation under that condition would never be allowed.
     */
    public static String delivery(String streamArn, String bucketArn, List<String> objectArns, List<String> listPrefixes) {
        ObjectNode list = allow("ListObjects", List.of("s3:ListBucket"), List.of(bucketArn));
        if (!listPrefixes.isEmpty()) {
            ArrayNode prefixes = list.putObject("Condition").putObject("StringLike").putArray("s3:prefix");
            listPrefixes.forEach(p -> prefixes.add(p + "*"));
        }
        return document(
                allow("ReadStream", List.of("kinesis:DescribeStream", "kinesis:GetShardIterator", "kinesis:GetRecords",
                        "kinesis:ListShards"), List.of(streamArn)),
                allow("LocateBucket", List.of("s3:GetBucketLocation"), List.of(bucketArn)),
                list,
                allow("WriteObjects", List.of("s3:PutObject", "s3:AbortMultipartUpload"), objectArns));
    }

    /**
     * The account's CloudWatch role for API Gateway, as the portal makes it: write access-log
     * streams of the pipelines' log groups (any region: the role is the account's), nothing else.
     */
    public static String accessLogs(String logGroupsArn) {
        return document(allow("WriteAccessLogs", List.of("logs:CreateLogStream", "logs:PutLogEvents",
                "logs:DescribeLogStreams"), List.of(logGroupsArn + ":log-stream:*")));
    }

    /**
     * Whether two policy documents say the same. IAM hands documents back URL-encoded and may
     * reformat them, so they are compared as JSON.
     */
    public static boolean same(String a, String b) {
        return a != null && b != null && parse(a).equals(parse(b));
    }

    public static JsonNode parse(String document) {
        String text = document.trim();
        if (text.startsWith("%")) {
            text = URLDecoder.decode(text, StandardCharsets.UTF_8);
        }
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(text);
        }
    }

    private static ObjectNode allow(String sid, List<String> actions, List<String> resources) {
        ObjectNode statement = JSON.createObjectNode();
        statement.put("Sid", sid);
        statement.put("Effect", "Allow");
        ArrayNode a = statement.putArray("Action");
        actions.forEach(a::add);
        ArrayNode r = statement.putArray("Resource");
        resources.forEach(r::add);
        return statement;
    }

    private static String document(ObjectNode... statements) {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("Version", VERSION);
        ArrayNode list = doc.putArray("Statement");
        for (ObjectNode s : statements) {
            list.add(s);
        }
        return doc.toString();
    }
}
