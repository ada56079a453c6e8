package dev.clicklog.localaws.firehose;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One delivery stream: its identity, source, S3 destination, tags and lifecycle. CREATING follows
 * the clock (until activation) so no timer has to flip it; a deleted stream is DELETING while it
 * delivers what it holds, then gone.
 */
final class DeliveryStream {

    static final String DIRECT_PUT = "DirectPut";
    static final String KINESIS_SOURCE = "KinesisStreamAsSource";
    static final String CREATING = "CREATING";
    static final String ACTIVE = "ACTIVE";
    static final String DELETING = "DELETING";
    /** Firehose names its only destination so. */
    static final String DESTINATION_ID = "destinationId-000000000001";

    private final String name;
    private final String region;
    private final String arn;
    private final String type;
    private final KinesisSource source;
    private final Integer throughputHintInMBs;
    private final Instant created;
    private final Instant activeAt;
    private final TreeMap<String, String> tags = new TreeMap<>();
    private S3Destination destination;
    private int version = 1;
    private Instant lastUpdated;
    private boolean deleting;
    private Instant goneAt;
    private Delivery delivery;

    DeliveryStream(String name, String region, String arn, String type, KinesisSource source,
            Integer throughputHintInMBs, S3Destination destination, Map<String, String> tags, Instant created,
            Instant activeAt) {
        this.name = name;
        this.region = region;
        this.arn = arn;
        this.type = type;
        this.source = source;
        this.throughputHintInMBs = throughputHintInMBs;
        this.destination = destination;
        this.tags.putAll(tags);
        this.created = created;
        this.activeAt = activeAt;
    }

    String name() {
        return name;
    }

    String region() {
        return region;
    }

    String arn() {
        return arn;
    }

    String type() {
        return type;
    }

    /** The Kinesis source, or null for DirectPut. */
    KinesisSource source() {
        return source;
    }

    Integer throughputHintInMBs() {
        return throughputHintInMBs;
    }

    Instant created() {
        return created;
    }

    synchronized String status(Instant now) {
        if (deleting) {
            return DELETING;
        }
        return now.isBefore(activeAt) ? CREATING : ACTIVE;
    }

    /** True once a deleted stream's DELETING phase is over: it no longer exists. */
    synchronized boolean gone(Instant now) {
        return goneAt != null && !now.isBefore(goneAt);
    }

    /** Starts deleting; false when it was being deleted already. */
    synchronized boolean markDeleting() {
        if (deleting) {
            return false;
        }
        deleting = true;
        return true;
    }

    synchronized void markGone(Instant at) {
        if (goneAt == null) {
            goneAt = at;
        }
    }

    synchronized S3Destination destination() {
        return destination;
    }

    synchronized int version() {
        return version;
    }

    synchronized Instant lastUpdated() {
        return lastUpdated;
    }

    /** UpdateDestination: a new configuration under the next version id. */
    synchronized void updateDestination(S3Destination updated, Instant at) {
        destination = updated;
        version++;
        lastUpdated = at;
    }

    synchronized Map<String, String> tags() {
        return new LinkedHashMap<>(tags);
    }

    synchronized void putTags(Map<String, String> added) {
        tags.putAll(added);
    }

    synchronized void removeTags(Iterable<String> keys) {
        keys.forEach(tags::remove);
    }

    synchronized Delivery delivery() {
        return delivery;
    }

    synchronized void attach(Delivery delivery) {
        this.delivery = delivery;
    }
}
