package dev.clicklog.localaws;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.clicklog.localaws.storage.Durability;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where the embedded AWS-compatible endpoint listens, where it keeps its files, and how its services behave. */
@ConfigMapping(prefix = "clicklog.localaws")
public interface LocalAwsConfig {

    /** Loopback by default: the endpoint accepts any credentials, so it must not be reachable from elsewhere. */
    @WithDefault("127.0.0.1")
    String host();

    /** 0 picks a free port (tests). */
    @WithDefault("4566")
    int port();

    /**
     * The host names (any port) requests may name in their Host header: names, IP addresses, [IPv6]
     * addresses, or {@code *.domain} for every name under it ({@code *.localhost} covers S3's
     * virtual-hosted buckets and execute-api hosts on this machine; {@code *.amazonaws.com}: AWS's
     * names, for clients that point them here, which no web page's owner can make point anywhere).
     * Any other is refused with 421, so a web page whose name was made to point here (DNS
     * rebinding) cannot use the endpoint.
     */
    @WithDefault("localhost,127.0.0.1,[::1],*.localhost,*.amazonaws.com")
    List<String> allowedHosts();

    /**
     * Every service's state lives below this directory (see docs/durability.md): the write-ahead
     * log, snapshots, S3's object bodies. One running portal per directory.
     */
    @WithDefault("data/localaws")
    Path dataDir();

    /**
     * How far a change goes before its request is answered: {@code fsync} (on disk, survives a
     * crash of the machine), {@code os} (written, left to the operating system: survives a crash
     * of the process), {@code memory} (nothing kept across restarts, for throwaway tests).
     */
    @WithDefault("fsync")
    Durability durability();

    StorageSettings storage();

    Http http();

    /** Event loops serving requests; 0 means one per core. */
    @WithDefault("0")
    int eventLoops();

    /** The account every resource belongs to, as AWS's documentation examples and other emulators use. */
    @WithDefault("000000000000")
    String accountId();

    /** The region resources are created in when a request carries no signing region. */
    @WithDefault("us-east-1")
    String defaultRegion();

    Kinesis kinesis();

    Firehose firehose();

    ApiGateway apiGateway();

    S3 s3();

    Iam iam();

    Faults faults();

    /** IAM. */
    interface Iam {

        /**
         * Whether callers are held to IAM as on AWS: every request but invoke URLs must be signed
         * (SigV4) with the secret key of an access key IAM issued (or of the root key pair, {@code
         * root-access-key-id}/{@code root-secret-access-key}), and is allowed only when the caller's
         * identity policies allow it. Off by default: any credentials are accepted.
         */
        @WithDefault("false")
        boolean enforceCallers();

        /** The access key id of the account's root, which needs no policy; the SDK tests' "test". */
        @WithDefault("test")
        String rootAccessKeyId();

        /** The secret key of the account's root. A local endpoint's well-known key, never a real one. */
        @WithDefault("test")
        String rootSecretAccessKey();
    }

    /**
     * Faults armed from the start, so tests of a packaged portal can meet an endpoint that lacks
     * something (other endpoints do), or one whose slow behaviours are shortened. Failures name
     * {@code service:Operation}, the service by its signing name (apigateway, kinesis, firehose,
     * monitoring, ...).
     */
    interface Faults {

        /** Operations answered as the service answers an operation it does not serve. */
        Optional<List<String>> unserved();

        /**
         * Fields left out of an operation's JSON answers, wherever they occur: {@code
         * service:Operation:Field}. What endpoints that report less than AWS do.
         */
        Optional<List<String>> omittedFields();

        /**
         * Named delays in force instead of AWS's, {@code name=ISO-8601 duration}: e.g. {@code
         * kinesis.retention-period=PT30S} keeps every stream's records 30 seconds rather than its
         * retention (24 hours at least), so a benchmark sees retention at work within minutes. The
         * names are listed in docs/compatibility.md.
         */
        Optional<List<String>> delays();
    }

    /** The write-ahead log and its snapshots. */
    interface StorageSettings {

        /** A log segment file is closed and a new one started once it holds this much. */
        @WithDefault("64M")
        MemorySize segmentSize();

        /** A checkpoint (snapshots of every store, then deletion of the log they cover) after this much log... */
        @WithDefault("64M")
        MemorySize checkpointSize();

        /** ...or after this long with any change at all, whichever comes first. */
        @WithDefault("10m")
        Duration checkpointInterval();
    }

    /** Connections: how long a client may keep one without sending anything useful. */
    interface Http {

        /**
         * A connection with no request under way for this long is closed (an idle keep-alive, or a
         * request head trickling in), and so is one whose client does not take its answer within
         * it. Longer than the AWS SDKs keep idle connections (60 s), so they drop theirs first.
         */
        @WithDefault("75s")
        Duration idleTimeout();

        /**
         * A request body that delivers less than 16 KiB in this long is answered with the service's
         * timeout error and its connection closed, so a slow trickle cannot hold a connection.
         */
        @WithDefault("30s")
        Duration bodyTimeout();
    }

    /** Kinesis Data Streams. */
    interface Kinesis {

        /** How long a new stream (or one changing shards) stays CREATING/UPDATING before ACTIVE. */
        @WithDefault("200ms")
        Duration streamActivationDelay();

        /** How long a deleted stream stays DELETING before it disappears. */
        @WithDefault("200ms")
        Duration streamDeletionDelay();

        /**
         * Whether AWS's per-shard throughput limits (1 MiB/s or 1,000 records/s written, 5 reads/s)
         * answer ProvisionedThroughputExceededException. Off by default, like other local
         * emulators, so load tests measure the endpoint rather than the limits.
         */
        @WithDefault("false")
        boolean enforceShardLimits();

        /**
         * Open shards the account may have across all streams; CreateStream beyond it answers
         * LimitExceededException. 500 is AWS's default in us-east-1, us-west-2 and eu-west-1.
         */
        @WithDefault("500")
        int shardLimit();

        /**
         * A shard's records are kept in files of about this size; retention deletes whole files, so
         * disk use follows retention to within one file per shard.
         */
        @WithDefault("64M")
        MemorySize segmentSize();

        /**
         * Records read from disk are cached in memory up to this much, shared by all shards: memory
         * does not follow how many records the streams hold.
         */
        @WithDefault("64M")
        MemorySize cacheSize();
    }

    /** Kinesis Data Firehose. */
    interface Firehose {

        /** How long a new delivery stream stays CREATING before ACTIVE. */
        @WithDefault("200ms")
        Duration activationDelay();

        /** How long a deleted delivery stream stays DELETING before it disappears (at least). */
        @WithDefault("200ms")
        Duration deletionDelay();

        /**
         * How long a deleted delivery stream, while DELETING, goes on delivering what it has read or
         * still finds in its source before it disappears; what is left then is dropped.
         */
        @WithDefault("60s")
        Duration deletionDrainLimit();

        /** How often the delivery engine polls each source shard. */
        @WithDefault("200ms")
        Duration pollInterval();

        /** How long a failed S3 write waits before it is tried again. */
        @WithDefault("1s")
        Duration retryInterval();

        /** Worker threads shared by every delivery stream's reads and S3 writes (never the event loop). */
        @WithDefault("2")
        int deliveryThreads();
    }

    /** API Gateway. */
    interface ApiGateway {

        /** How long the data plane waits for an integration before answering 504. */
        @WithDefault("29s")
        Duration integrationTimeout();

        /**
         * How long after a request its access log line reaches CloudWatch Logs. AWS delivers access
         * logs in batches, seconds to a minute later; the lines of a request wait this long here.
         */
        @WithDefault("2s")
        Duration accessLogDelay();
    }

    /** S3. */
    interface S3 {

        /** How often buckets' lifecycle rules are applied (S3 itself does it about once a day). */
        @WithDefault("10m")
        Duration lifecycleInterval();
    }
}
