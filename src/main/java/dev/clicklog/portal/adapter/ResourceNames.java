package dev.clicklog.portal.adapter;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Every AWS resource name of a pipeline, derived from the pipeline name by {@link #of} — the one
 * function that does it, so the portal can always find a pipeline's resources again (after a crash,
 * on teardown) without having recorded them.
 *
 * <p>The pipeline name rule is the intersection of AWS's rules for every derived name: S3 bucket
 * names (3–63 lowercase letters, digits and hyphens, starting and ending with a letter or digit) are
 * the strictest, and {@code clicklog-<name>-<12-digit account>} must fit in 63 characters, so a
 * pipeline name has at most 40; IAM role names (64), Kinesis stream and Firehose delivery stream
 * names (128 and 64, letters, digits, {@code _.-}) then fit as well.
 */
public record ResourceNames(
        String pipeline,
        String apiRole,
        String deliveryRole,
        String stream,
        String bucket,
        boolean sharedBucket,
        String prefixRoot,
        String deliveryStream,
        String restApi,
        String stage,
        String apiKey,
        String usagePlan,
        String logGroup) {

    public static final int MIN_LENGTH = 3;
    public static final int MAX_LENGTH = 40;
    /** Lowercase letters, digits and hyphens; starts with a letter, ends with a letter or a digit. */
    public static final Pattern PIPELINE_NAME = Pattern.compile("[a-z][a-z0-9-]*[a-z0-9]");

    public static final String STAGE = "v1";
    public static final String API_ROLE_POLICY = "clicklog-put-records";
    /** Where every pipeline's access log group lives: API Gateway's own convention, then the portal's prefix. */
    public static final String LOG_GROUP_PREFIX = "/aws/apigateway/clicklog-";
    /**
     * The role API Gateway writes the account's logs with, when the portal had to set one: one per
     * account, shared by every pipeline (the account has one such role).
     */
    public static final String ACCOUNT_LOGS_ROLE = "clicklog-apigateway-logs";
    public static final String ACCOUNT_LOGS_POLICY = "clicklog-access-logs";
    public static final String DELIVERY_ROLE_POLICY = "clicklog-delivery";

    private static final String PREFIX = "clicklog-";
    /** What follows "<delivery stream>-" in the name of an object Firehose wrote. */
    private static final Pattern FIREHOSE_OBJECT =
            Pattern.compile("\\d+-\\d{4}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-[A-Za-z0-9-]+(\\.[A-Za-z0-9]+)*");

    /**
     * @param sharedBucket one bucket for every pipeline (each then writes under {@code <pipeline>/}),
     *                     or empty for a bucket per pipeline
     */
    public static ResourceNames of(String pipeline, String account, Optional<String> sharedBucket) {
        String base = PREFIX + pipeline;
        return new ResourceNames(
                pipeline,
                base + "-apigateway",
                base + "-firehose",
                base,
                sharedBucket.orElse(base + "-" + account),
                sharedBucket.isPresent(),
                sharedBucket.isPresent() ? pipeline + "/" : "",
                base,
                base,
                STAGE,
                base,
                base,
                LOG_GROUP_PREFIX + pipeline);
    }

    /** Where the pipeline's clicks go in the bucket: its own part of the bucket, then the team's prefix. */
    public String dataPrefix(String s3Prefix) {
        return prefixRoot + s3Prefix;
    }

    /** Where Firehose puts records it could not deliver; next to the data, never inside it. */
    public String errorPrefix(String s3Prefix) {
        return prefixRoot + "errors/" + s3Prefix;
    }

    /**
     * Whether an object was written by the pipeline's delivery stream: under its data or error
     * prefix, and named as Firehose names objects, {@code <delivery stream>-<version>-<yyyy-MM-dd-HH-mm-ss>-<random>}
     * (and an extension such as .gz). Nothing else under the prefix is the pipeline's.
     */
    public boolean writtenByDeliveryStream(String key, String s3Prefix) {
        if (!key.startsWith(dataPrefix(s3Prefix)) && !key.startsWith(errorPrefix(s3Prefix))) {
            return false;
        }
        String file = key.substring(key.lastIndexOf('/') + 1);
        return file.startsWith(deliveryStream + "-")
                && FIREHOSE_OBJECT.matcher(file.substring(deliveryStream.length() + 1)).matches();
    }
}
