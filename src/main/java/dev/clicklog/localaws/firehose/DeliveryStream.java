package dev.clicklog.localaws.firehose;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import dev.clicklog.localaws.firehose.FirehoseChange.ObjectIntent;
import dev.clicklog.localaws.firehose.FirehoseChange.StreamState;

/**
 * One delivery stream: its identity, source, S3 destination, tags and lifecycle. CREATING follows
 * the clock (until activation) so no timer has to flip it; a deleted stream is DELETING while it
 * delivers what it holds, then gone. Changed only through {@link FirehoseService}'s journal: its
 * state is a {@link StreamState}, put back whole.
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
    private Instant activeAt;
    private final TreeMap<String, String> tags = new TreeMap<>();
    private S3Destination destination;
    private int version = 1;
    private Instant lastUpdated;
    private Instant deletingSince;
    private Instant goneAt;
    /** The last sequence number in S3 per source shard. */
    private final TreeMap<String, String> checkpoints = new TreeMap<>();
    /** The object being written (logged before its PUT), or null. */
    private ObjectIntent intent;
    private Delivery delivery;
    /** Records put directly and not yet in S3 (DirectPut streams). */
    private final DirectBacklog direct = new DirectBacklog();

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

    static DeliveryStream of(StreamState state) {
        DeliveryStream stream = new DeliveryStream(state.name(), state.region(), state.arn(), state.type(), state.source(),
                state.throughputHintInMBs(), state.destination(), Map.of(), state.created(), state.activeAt());
        stream.restore(state);
        return stream;
    }

    /** The stream as it now is, as its journal records it. */
    synchronized StreamState state() {
        return new StreamState(name, region, arn, type, source, throughputHintInMBs, destination, new TreeMap<>(tags),
                created, activeAt, version, lastUpdated, deletingSince, new TreeMap<>(checkpoints), intent);
    }

    /** Puts back what can change (replay, or a change being applied). */
    synchronized void restore(StreamState state) {
        destination = state.destination();
        version = state.version();
        lastUpdated = state.lastUpdated();
        deletingSince = state.deletingSince();
        tags.clear();
        tags.putAll(state.tags());
        checkpoints.clear();
        checkpoints.putAll(state.checkpoints());
        intent = state.intent();
        trimDirect();
    }

    /** Drops the records put directly that the checkpoints say are in S3. */
    private void trimDirect() {
        direct.delivered(DirectBacklog.sequence(checkpoints.get(DirectBacklog.SOURCE)));
    }

    DirectBacklog direct() {
        return direct;
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
        if (deletingSince != null) {
            return DELETING;
        }
        return now.isBefore(activeAt) ? CREATING : ACTIVE;
    }

    /**
     * A stream still CREATING when the endpoint stopped: after the start it becomes ACTIVE this long
     * after its creation, as the endpoint now times activation (as Kinesis streams resume theirs).
     */
    synchronized void resumeCreating(Duration activation, Instant now) {
        if (deletingSince == null && now.isBefore(activeAt)) {
            activeAt = created.plus(activation);
        }
    }

    /** True once a deleted stream's DELETING phase is over: it no longer exists. */
    synchronized boolean gone(Instant now) {
        return goneAt != null && !now.isBefore(goneAt);
    }

    /** When its deletion began, or null. */
    synchronized Instant deletingSince() {
        return deletingSince;
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

    synchronized Map<String, String> tags() {
        return new LinkedHashMap<>(tags);
    }

    synchronized Map<String, String> checkpoints() {
        return new TreeMap<>(checkpoints);
    }

    synchronized ObjectIntent intent() {
        return intent;
    }

    /** An object is about to be written. */
    synchronized void intend(ObjectIntent object) {
        intent = object;
    }

    /** The object intended is written: checkpoints move with it. */
    synchronized void delivered(Map<String, String> lastSequenceByShard) {
        checkpoints.putAll(lastSequenceByShard);
        intent = null;
        trimDirect();
    }

    synchronized Delivery delivery() {
        return delivery;
    }

    synchronized void attach(Delivery delivery) {
        this.delivery = delivery;
    }
}
