package dev.clicklog.portal.adapter;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.EncryptionType;
import software.amazon.awssdk.services.kinesis.model.ListTagsForStreamResponse;
import software.amazon.awssdk.services.kinesis.model.ScalingType;
import software.amazon.awssdk.services.kinesis.model.StreamMode;
import software.amazon.awssdk.services.kinesis.model.StreamModeDetails;

/** Kinesis data streams. */
@ApplicationScoped
public class StreamAdapter {

    /** Server-side encryption with the AWS-managed Kinesis key: no key to create, own or pay for. */
    public static final String MANAGED_KEY = "alias/aws/kinesis";
    /** The same key's alias as an ARN: arn:aws:kms:us-east-1:123456789012:alias/aws/kinesis. */
    private static final Pattern MANAGED_KEY_ARN = Pattern.compile("arn:aws[a-z-]*:kms:[a-z0-9-]+:\\d{12}:" + MANAGED_KEY);

    /**
     * A stream as Kinesis reports it; {@code status} is CREATING, ACTIVE, UPDATING or DELETING;
     * {@code keyId} is the KMS key of its encryption as it was given (id, ARN, alias or alias ARN),
     * null when it is not encrypted. A field the endpoint does not report is null (see {@link ReadBack}).
     */
    public record Stream(String name, String arn, String status, Boolean onDemand, Integer openShards,
            Integer retentionHours, Boolean encrypted, String keyId) {

        public boolean active() {
            return "ACTIVE".equals(status);
        }

        /**
         * Whether it is encrypted with the AWS-managed Kinesis key, named by its alias or its alias
         * ARN; null when the endpoint does not say whether it is encrypted.
         */
        public Boolean encryptedWithManagedKey() {
            if (encrypted == null) {
                return null;
            }
            return encrypted && keyId != null && (MANAGED_KEY.equals(keyId) || MANAGED_KEY_ARN.matcher(keyId).matches());
        }
    }

    private final KinesisClient kinesis;

    StreamAdapter(KinesisClient kinesis) {
        this.kinesis = kinesis;
    }

    public Optional<Stream> describe(String name) {
        return AwsErrors.find(() -> kinesis.describeStreamSummary(r -> r.streamName(name)).streamDescriptionSummary())
                .map(s -> new Stream(s.streamName(), s.streamARN(), s.streamStatusAsString(),
                        s.streamModeDetails() == null ? null : s.streamModeDetails().streamMode() == StreamMode.ON_DEMAND,
                        s.openShardCount(), s.retentionPeriodHours(),
                        s.encryptionType() == null ? null : s.encryptionType() == EncryptionType.KMS,
                        s.encryptionType() == EncryptionType.KMS ? s.keyId() : null));
    }

    /** Creates the stream (CREATING at first); a stream of that name existing already is left alone. */
    public void create(String name, boolean onDemand, int shards, Map<String, String> tags) {
        AwsErrors.create(() -> kinesis.createStream(r -> {
            r.streamName(name).streamModeDetails(mode(onDemand));
            if (!tags.isEmpty()) {
                r.tags(tags);
            }
            if (!onDemand) {
                r.shardCount(shards);
            }
        }));
    }

    public void setRetention(String name, int currentHours, int hours) {
        if (hours > currentHours) {
            AwsErrors.run(() -> kinesis.increaseStreamRetentionPeriod(r -> r.streamName(name).retentionPeriodHours(hours)));
        } else if (hours < currentHours) {
            AwsErrors.run(() -> kinesis.decreaseStreamRetentionPeriod(r -> r.streamName(name).retentionPeriodHours(hours)));
        }
    }

    public void encrypt(String name) {
        AwsErrors.run(() -> kinesis.startStreamEncryption(r -> r.streamName(name).encryptionType(EncryptionType.KMS)
                .keyId(MANAGED_KEY)));
    }

    public void setMode(String arn, boolean onDemand) {
        AwsErrors.run(() -> kinesis.updateStreamMode(r -> r.streamARN(arn).streamModeDetails(mode(onDemand))));
    }

    public void setShards(String name, int shards) {
        AwsErrors.run(() -> kinesis.updateShardCount(r -> r.streamName(name).targetShardCount(shards)
                .scalingType(ScalingType.UNIFORM_SCALING)));
    }

    public Map<String, String> tags(String name) {
        Map<String, String> tags = new LinkedHashMap<>();
        String after = null;
        ListTagsForStreamResponse page;
        do {
            String start = after;
            page = AwsErrors.call(() -> kinesis.listTagsForStream(r -> r.streamName(name).exclusiveStartTagKey(start)));
            page.tags().forEach(t -> tags.put(t.key(), t.value()));
            after = page.tags().isEmpty() ? null : page.tags().get(page.tags().size() - 1).key();
        } while (Boolean.TRUE.equals(page.hasMoreTags()) && after != null);
        return tags;
    }

    public void tag(String name, Map<String, String> tags) {
        AwsErrors.run(() -> kinesis.addTagsToStream(r -> r.streamName(name).tags(tags)));
    }

    /** Starts deleting the stream (DELETING, then gone); false when it was already gone. */
    public boolean delete(String name) {
        return AwsErrors.delete(() -> kinesis.deleteStream(r -> r.streamName(name).enforceConsumerDeletion(true)));
    }

    private static StreamModeDetails mode(boolean onDemand) {
        return StreamModeDetails.builder().streamMode(onDemand ? StreamMode.ON_DEMAND : StreamMode.PROVISIONED).build();
    }
}
