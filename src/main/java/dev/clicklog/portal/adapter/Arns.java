package dev.clicklog.portal.adapter;

import jakarta.enterprise.context.ApplicationScoped;

import software.amazon.awssdk.regions.PartitionMetadata;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * ARNs of the resources a pipeline owns, known before the resources exist (the IAM policies name
 * them). The account comes from STS GetCallerIdentity, asked once; the region is the one the
 * clients were built with (configured, or found by the SDK's region chain in aws mode).
 */
@ApplicationScoped
public class Arns {

    private final StsClient sts;
    private volatile String account;

    Arns(StsClient sts) {
        this.sts = sts;
    }

    public String account() {
        String a = account;
        if (a == null) {
            synchronized (this) {
                if (account == null) {
                    account = AwsErrors.call(() -> sts.getCallerIdentity().account());
                }
                a = account;
            }
        }
        return a;
    }

    public Region region() {
        return sts.serviceClientConfiguration().region();
    }

    /** The region's id, "us-east-1". */
    public String regionId() {
        return region().id();
    }

    /** "aws", "aws-cn", "aws-us-gov", … */
    public String partition() {
        return PartitionMetadata.of(region()).id();
    }

    /** The DNS suffix of the region's partition, e.g. amazonaws.com. */
    public String dnsSuffix() {
        return PartitionMetadata.of(region()).dnsSuffix();
    }

    public String role(String roleName) {
        return "arn:" + partition() + ":iam::" + account() + ":role/" + roleName;
    }

    public String stream(String streamName) {
        return "arn:" + partition() + ":kinesis:" + region().id() + ":" + account() + ":stream/" + streamName;
    }

    public String bucket(String bucket) {
        return "arn:" + partition() + ":s3:::" + bucket;
    }

    /** The objects of a bucket under a key prefix ("" for the whole bucket). */
    public String objects(String bucket, String keyPrefix) {
        return bucket(bucket) + "/" + keyPrefix + "*";
    }

    public String deliveryStream(String name) {
        return "arn:" + partition() + ":firehose:" + region().id() + ":" + account() + ":deliverystream/" + name;
    }

    /** A CloudWatch Logs log group (without the {@code :*} DescribeLogGroups adds). */
    public String logGroup(String name) {
        return "arn:" + partition() + ":logs:" + region().id() + ":" + account() + ":log-group:" + name;
    }

    /** The log groups whose names match {@code namePattern} (IAM wildcards), in every region of the account. */
    public String logGroupsInAnyRegion(String namePattern) {
        return "arn:" + partition() + ":logs:*:" + account() + ":log-group:" + namePattern;
    }

    /** The integration URI of an API Gateway AWS integration calling a Kinesis action. */
    public String kinesisAction(String action) {
        return "arn:" + partition() + ":apigateway:" + region().id() + ":kinesis:action/" + action;
    }

    /** An API Gateway resource (REST API, stage, usage plan, API key), as TagResource wants it. */
    public String apiGateway(String path) {
        return "arn:" + partition() + ":apigateway:" + region().id() + "::" + path;
    }
}
