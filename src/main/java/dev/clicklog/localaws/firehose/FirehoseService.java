package dev.clicklog.localaws.firehose;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.clicklog.endpoint.LocalEndpoint;
import dev.clicklog.localaws.LocalAwsConfig;
import dev.clicklog.localaws.fault.FaultInjector;
import dev.clicklog.localaws.firehose.FirehoseChange.DirectRecord;
import dev.clicklog.localaws.firehose.FirehoseChange.ObjectDelivered;
import dev.clicklog.localaws.firehose.FirehoseChange.ObjectIntended;
import dev.clicklog.localaws.firehose.FirehoseChange.ObjectIntent;
import dev.clicklog.localaws.firehose.FirehoseChange.RecordsPut;
import dev.clicklog.localaws.firehose.FirehoseChange.StreamPut;
import dev.clicklog.localaws.firehose.FirehoseChange.StreamRemoved;
import dev.clicklog.localaws.firehose.FirehoseChange.StreamState;
import dev.clicklog.localaws.firehose.S3Destination.Processor;
import dev.clicklog.localaws.spi.RoleAccess;
import dev.clicklog.localaws.storage.Journal;
import dev.clicklog.localaws.storage.JsonCodec;
import dev.clicklog.localaws.storage.Storage;
import dev.clicklog.localaws.protocol.AwsServiceException;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.StartupEvent;

/**
 * Firehose's behaviour, independent of the wire: delivery streams per region, their lifecycle
 * (CREATING → ACTIVE, DELETING → gone), tags, direct puts, and the rules AWS applies to a
 * destination beyond the API model's constraints. Each delivery stream's data is moved by the
 * {@link DeliveryEngine}.
 * <p>
 * Durable through the journal {@code firehose}: every change to a delivery stream logs it as it now
 * is, under this service's lock; its delivery logs the object it is about to write and the
 * checkpoints that object moves (see {@link Delivery}). At start the delivery streams are replayed
 * and their deliveries resume from their checkpoints; a stream DELETING finishes its deletion.
 */
@ApplicationScoped
@Startup(Storage.REGISTER_PRIORITY)
class FirehoseService implements Delivery.Ledger {

    private static final String ACTIVATION_DELAY = "firehose.delivery-stream-activation";

    /** Firehose's default quota of delivery streams per region. */
    static final int MAX_DELIVERY_STREAMS = 5000;
    static final int MAX_TAGS = 50;
    static final int DEFAULT_LIST_LIMIT = 10;
    /** PutRecordBatch's limit for the whole request. */
    static final long MAX_BATCH_BYTES = 4L * 1024 * 1024;
    /** Direct puts not yet in S3 beyond which puts are refused, so memory stays bounded. */
    static final long MAX_QUEUED_BYTES = 256L * 1024 * 1024;

    /** A CreateDeliveryStream request that passed the model's constraints. */
    record NewDeliveryStream(String region, String name, String type, KinesisSource source,
            Integer throughputHintInMBs, S3DestinationInput destination, Map<String, String> tags) {
    }

    record NamePage(List<String> names, boolean hasMore) {
    }

    record TagPage(List<Map.Entry<String, String>> tags, boolean hasMore) {
    }

    private final ConcurrentHashMap<String, DeliveryStream> streams = new ConcurrentHashMap<>();
    private final LocalAwsConfig config;
    private final FaultInjector faults;
    private final DeliveryEngine engine;
    private final KinesisWireClient kinesis;
    private final FirehoseMetrics metrics;
    private final RoleAccess iam;
    private final Storage storage;
    private final Journal<FirehoseChange> journal;

    FirehoseService(LocalAwsConfig config, FaultInjector faults, DeliveryEngine engine, KinesisWireClient kinesis,
            FirehoseMetrics metrics, RoleAccess iam, Storage storage) {
        this.config = config;
        this.faults = faults;
        this.engine = engine;
        this.kinesis = kinesis;
        this.metrics = metrics;
        this.iam = iam;
        this.storage = storage;
        this.journal = storage.journal(FirehoseChange.STORE, JsonCodec.of(FirehoseChange.class, FirehoseChange.VERSION),
                this, this::apply, out -> streams.values().forEach(s -> {
                    out.accept(new StreamPut(s.state()));
                    s.direct().forEachPut((first, records) -> out.accept(
                            new RecordsPut(s.region(), s.name(), s.created(), first, records)));
                }));
    }

    /** The one way delivery streams change, live and at replay. */
    private void apply(FirehoseChange change) {
        if (change instanceof StreamPut put) {
            StreamState state = put.stream();
            DeliveryStream stream = streams.get(key(state.region(), state.name()));
            if (stream == null || !stream.created().equals(state.created())) {
                streams.put(key(state.region(), state.name()), DeliveryStream.of(state));
            } else {
                stream.restore(state);
            }
        } else if (change instanceof StreamRemoved removed) {
            DeliveryStream stream = streams.get(key(removed.region(), removed.name()));
            if (stream != null && stream.created().equals(removed.created())) {
                streams.remove(key(removed.region(), removed.name()));
            }
        } else if (change instanceof ObjectIntended intended) {
            DeliveryStream stream = stream(intended.region(), intended.name(), intended.created());
            if (stream != null) {
                stream.intend(intended.object());
            }
        } else if (change instanceof RecordsPut put) {
            DeliveryStream stream = stream(put.region(), put.name(), put.created());
            if (stream != null) {
                stream.direct().add(put.firstSequence(), put.records());
            }
        } else if (change instanceof ObjectDelivered delivered) {
            DeliveryStream stream = stream(delivered.region(), delivered.name(), delivered.created());
            if (stream != null) {
                stream.delivered(delivered.lastSequenceByShard());
            }
        }
    }

    /** The delivery stream of that name created then, or null when it is gone. */
    private DeliveryStream stream(String region, String name, Instant created) {
        DeliveryStream stream = streams.get(key(region, name));
        return stream != null && stream.created().equals(created) ? stream : null;
    }

    /** Once the storage is open (replayed): every delivery stream's delivery resumes. */
    void onStart(@Observes StartupEvent event, LocalEndpoint endpoint) {
        if (endpoint.embedded()) {
            resume();
        }
    }

    /**
     * Starts the deliveries of the replayed delivery streams; those DELETING finish their deletion,
     * those CREATING become ACTIVE timed from their creation by today's activation delay.
     */
    synchronized void resume() {
        Duration activation = faults.delayOr(ACTIVATION_DELAY, config.firehose().activationDelay());
        Instant now = engine.clock().instant();
        for (DeliveryStream stream : streams.values()) {
            if (stream.delivery() == null) {
                stream.resumeCreating(activation, now);
                stream.attach(engine.start(stream, this));
                if (stream.deletingSince() != null) {
                    finishDeletion(stream, stream.deletingSince());
                }
            }
        }
    }

    @Override
    public void intend(DeliveryStream stream, ObjectIntent object) {
        synchronized (this) {
            if (stream(stream.region(), stream.name(), stream.created()) != stream) {
                return;
            }
            journal.record(new ObjectIntended(stream.region(), stream.name(), stream.created(), object));
        }
        // The object is written only once its intent would survive a crash.
        storage.awaitDurable();
    }

    @Override
    public synchronized void delivered(DeliveryStream stream, Map<String, String> lastSequenceByShard) {
        if (stream(stream.region(), stream.name(), stream.created()) == stream) {
            journal.record(new ObjectDelivered(stream.region(), stream.name(), stream.created(), lastSequenceByShard));
        }
    }

    /** Logs a delivery stream as it will now be, and applies it. */
    private void put(StreamState state) {
        journal.record(new StreamPut(state));
    }

    String account() {
        return config.accountId();
    }

    DeliveryStream create(NewDeliveryStream request) {
        String name = request.name();
        if (DeliveryStream.KINESIS_SOURCE.equals(request.type()) && request.source() == null) {
            throw FirehoseErrors.invalidArgument(
                    "KinesisStreamSourceConfiguration is required when DeliveryStreamType is KinesisStreamAsSource.");
        }
        if (!DeliveryStream.KINESIS_SOURCE.equals(request.type()) && request.source() != null) {
            throw FirehoseErrors.invalidArgument(
                    "KinesisStreamSourceConfiguration is only allowed when DeliveryStreamType is KinesisStreamAsSource.");
        }
        S3Destination destination = request.destination().applyTo(S3DestinationInput.DEFAULTS);
        validate(destination);
        if (request.source() != null) {
            checkSourceStream(request.source());
        }
        String arn = arn(request.region(), name);
        if (request.source() != null) {
            checkRole(request.source().roleArn(), arn);
        }
        checkRole(destination.roleArn(), arn);
        synchronized (this) {
            Instant now = engine.clock().instant();
            if (find(request.region(), name, now) != null) {
                throw FirehoseErrors.inUse("Firehose " + name + " under account " + account() + " already exists.");
            }
            if (inRegion(request.region(), now).size() >= MAX_DELIVERY_STREAMS) {
                throw FirehoseErrors.limitExceeded("You have already reached the limit of " + MAX_DELIVERY_STREAMS
                        + " Firehose streams in " + request.region() + ".");
            }
            Duration activation = faults.delayOr(ACTIVATION_DELAY, config.firehose().activationDelay());
            put(new StreamState(name, request.region(), arn, request.type(), request.source(),
                    request.throughputHintInMBs(), destination, new TreeMap<>(request.tags()), now, now.plus(activation),
                    1, null, null, Map.of(), null));
            DeliveryStream stream = streams.get(key(request.region(), name));
            stream.attach(engine.start(stream, this));
            return stream;
        }
    }

    DeliveryStream describe(String region, String name) {
        DeliveryStream stream = find(region, name, engine.clock().instant());
        if (stream == null) {
            throw FirehoseErrors.notFound(name, account());
        }
        return stream;
    }

    /** Names in alphabetical order after {@code exclusiveStart}, optionally of one type. */
    NamePage list(String region, String type, String exclusiveStart, Integer limit) {
        int max = limit == null ? DEFAULT_LIST_LIMIT : limit;
        List<String> names = inRegion(region, engine.clock().instant()).stream()
                .filter(s -> type == null || s.type().equals(type))
                .map(DeliveryStream::name)
                .filter(n -> exclusiveStart == null || n.compareTo(exclusiveStart) > 0)
                .sorted()
                .toList();
        return new NamePage(names.subList(0, Math.min(max, names.size())), names.size() > max);
    }

    /**
     * Marks the stream DELETING. While it is, its delivery writes what it buffers and what its
     * source still holds (AWS may go on delivering, without promising it: a client waits for its data
     * before deleting); it disappears once that is done and the deletion delay has passed, or when
     * the drain limit is reached.
     */
    synchronized void delete(String region, String name) {
        DeliveryStream stream = describe(region, name);
        Instant now = engine.clock().instant();
        if (DeliveryStream.CREATING.equals(stream.status(now))) {
            throw FirehoseErrors.inUse("Firehose " + name + " under account " + account()
                    + " is in CREATING state and cannot be deleted.");
        }
        if (stream.deletingSince() != null) {
            return;
        }
        put(stream.state().deleting(now));
        finishDeletion(stream, now);
    }

    /** Drains the delivery of a stream DELETING since then, and removes the stream once its deletion delay is over. */
    private void finishDeletion(DeliveryStream stream, Instant since) {
        Instant now = engine.clock().instant();
        Duration delay = faults.delayOr("firehose.delivery-stream-deletion", config.firehose().deletionDelay());
        Duration limit = faults.delayOr("firehose.delivery-stream-drain", config.firehose().deletionDrainLimit());
        Instant earliest = since.plus(delay);
        stream.delivery().drain(now.plus(limit), () -> {
            Duration left = Duration.between(engine.clock().instant(), earliest);
            engine.after(left.isNegative() ? Duration.ZERO : left, () -> remove(stream));
        });
    }

    /** PutRecord/PutRecordBatch: queues the records for delivery and answers their record ids. */
    List<String> put(String region, String name, List<byte[]> records) {
        DeliveryStream stream = describe(region, name);
        Instant now = engine.clock().instant();
        if (!DeliveryStream.DIRECT_PUT.equals(stream.type())) {
            throw FirehoseErrors.invalidArgument(
                    "This operation is not permitted on " + stream.type() + " delivery stream type.");
        }
        if (DeliveryStream.CREATING.equals(stream.status(now))) {
            throw FirehoseErrors.notFound(name, account());
        }
        long bytes = records.stream().mapToLong(r -> r.length).sum();
        if (records.size() > 1 && bytes > MAX_BATCH_BYTES) {
            throw FirehoseErrors.invalidArgument("Records size exceeds " + MAX_BATCH_BYTES + " bytes limit.");
        }
        synchronized (this) {
            if (stream(region, name, stream.created()) != stream) {
                throw FirehoseErrors.notFound(name, account());
            }
            DirectBacklog backlog = stream.direct();
            if (backlog.bytes() + bytes > MAX_QUEUED_BYTES) {
                throw FirehoseErrors.serviceUnavailable("Slow down.");
            }
            // Logged, so durable before the answer: the delivery reads the records from the backlog.
            journal.record(new RecordsPut(region, name, stream.created(), backlog.next(),
                    records.stream().map(r -> new DirectRecord(r, now)).toList()));
        }
        metrics.incoming(name, records.size(), bytes, now);
        List<String> ids = new ArrayList<>(records.size());
        records.forEach(r -> ids.add(recordId()));
        return ids;
    }

    synchronized void tag(String region, String name, Map<String, String> tags) {
        DeliveryStream stream = describe(region, name);
        Map<String, String> merged = new TreeMap<>(stream.tags());
        merged.putAll(tags);
        if (merged.size() > MAX_TAGS) {
            throw FirehoseErrors.limitExceeded("A Firehose stream can have at most " + MAX_TAGS + " tags.");
        }
        put(stream.state().withTags(merged));
    }

    synchronized void untag(String region, String name, Collection<String> keys) {
        DeliveryStream stream = describe(region, name);
        Map<String, String> left = new TreeMap<>(stream.tags());
        keys.forEach(left::remove);
        put(stream.state().withTags(left));
    }

    /** Tags in key order, after {@code exclusiveStartKey}. */
    TagPage listTags(String region, String name, String exclusiveStartKey, Integer limit) {
        int max = limit == null ? MAX_TAGS : limit;
        List<Map.Entry<String, String>> tags = describe(region, name).tags().entrySet().stream()
                .filter(e -> exclusiveStartKey == null || e.getKey().compareTo(exclusiveStartKey) > 0)
                .map(e -> Map.entry(e.getKey(), e.getValue()))
                .toList();
        return new TagPage(tags.subList(0, Math.min(max, tags.size())), tags.size() > max);
    }

    /** UpdateDestination: merges the given members into the destination under the next version. */
    void updateDestination(String region, String name, String currentVersionId, String destinationId,
            S3DestinationInput update) {
        DeliveryStream stream = describe(region, name);
        if (!DeliveryStream.ACTIVE.equals(stream.status(engine.clock().instant()))) {
            throw FirehoseErrors.inUse("Firehose " + name + " under account " + account() + " is not ACTIVE.");
        }
        if (!DeliveryStream.DESTINATION_ID.equals(destinationId)) {
            throw FirehoseErrors.invalidArgument("Destination " + destinationId + " not found for Firehose " + name + ".");
        }
        synchronized (this) {
            if (!Integer.toString(stream.version()).equals(currentVersionId)) {
                throw FirehoseErrors.concurrentModification("Firehose " + name + " has version id " + stream.version()
                        + ", not " + currentVersionId + ".");
            }
            S3Destination updated = update.applyTo(stream.destination());
            validate(updated);
            if (!updated.roleArn().equals(stream.destination().roleArn())) {
                checkRole(updated.roleArn(), stream.arn());
            }
            put(stream.state().withDestination(updated, engine.clock().instant()));
        }
    }

    /** What AWS checks beyond the model, and what localaws refuses rather than silently ignore. */
    private static void validate(S3Destination destination) {
        String compression = destination.compressionFormat();
        if (!S3Destination.UNCOMPRESSED.equals(compression) && !S3Destination.GZIP.equals(compression)) {
            throw FirehoseErrors.unsupported("CompressionFormat " + compression);
        }
        S3Destination.Processing processing = destination.processing();
        if (processing != null && !Boolean.FALSE.equals(processing.enabled()) && processing.processors() != null) {
            for (Processor p : processing.processors()) {
                if (!S3Destination.APPEND_DELIMITER.equals(p.type())) {
                    throw FirehoseErrors.unsupported("Processor type " + p.type());
                }
                if (p.parameters() != null && !p.parameters().isEmpty()) {
                    throw FirehoseErrors.unsupported("A parameter of the " + S3Destination.APPEND_DELIMITER + " processor");
                }
            }
        }
        S3Prefix.validate(destination.prefix(), destination.errorOutputPrefix());
        if (destination.customTimeZone() != null && !destination.customTimeZone().isEmpty()) {
            try {
                ZoneId.of(destination.customTimeZone());
            } catch (DateTimeException e) {
                throw FirehoseErrors.invalidArgument("CustomTimeZone " + destination.customTimeZone()
                        + " is not a supported time zone.");
            }
        }
    }

    /** Firehose must be able to assume every role a delivery stream names, or the stream is not created. */
    private void checkRole(String roleArn, String deliveryStreamArn) {
        if (!DeliveryAccess.mayAssume(iam, roleArn, account(), deliveryStreamArn)) {
            throw FirehoseErrors.invalidArgument(DeliveryAccess.unableToAssume(roleArn));
        }
    }

    private String arn(String region, String name) {
        return "arn:aws:firehose:" + region + ":" + account() + ":deliverystream/" + name;
    }

    /** The source stream must exist; Firehose answers its absence with Kinesis's own words. */
    private void checkSourceStream(KinesisSource source) {
        if (!account().equals(source.account())) {
            throw FirehoseErrors.invalidArgument(
                    "Stream " + source.streamName() + " under account " + source.account() + " not found.");
        }
        try {
            kinesis.describeStreamSummary(source.streamName());
        } catch (AwsServiceException e) {
            if ("ResourceNotFoundException".equals(e.code())) {
                throw FirehoseErrors.invalidArgument(e.getMessage());
            }
            throw FirehoseErrors.serviceUnavailable("Could not check the source stream " + source.streamArn() + ": "
                    + e.code() + " " + e.getMessage());
        }
    }

    private void remove(DeliveryStream stream) {
        synchronized (this) {
            stream.markGone(engine.clock().instant());
            if (stream(stream.region(), stream.name(), stream.created()) == stream) {
                journal.record(new StreamRemoved(stream.region(), stream.name(), stream.created()));
            }
        }
        engine.stop(stream.delivery());
    }

    /** The tags of the delivery stream of this name, or none when there is no such stream. */
    Map<String, String> tagsIfAny(String region, String name) {
        DeliveryStream stream = name == null ? null : find(region, name, engine.clock().instant());
        return stream == null ? Map.of() : stream.tags();
    }

    private DeliveryStream find(String region, String name, Instant now) {
        DeliveryStream stream = streams.get(key(region, name));
        return stream == null || stream.gone(now) ? null : stream;
    }

    private List<DeliveryStream> inRegion(String region, Instant now) {
        return streams.values().stream().filter(s -> s.region().equals(region) && !s.gone(now)).toList();
    }

    private static String key(String region, String name) {
        return region + "/" + name;
    }

    /** An opaque id per record, as long as Firehose's. */
    private static String recordId() {
        byte[] bytes = new byte[168];
        ThreadLocalRandom.current().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
