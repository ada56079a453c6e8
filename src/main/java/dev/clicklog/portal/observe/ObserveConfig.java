package dev.clicklog.portal.observe;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How the portal reads a pipeline's stream, bucket and invoke URL when someone watches it. */
@ConfigMapping(prefix = "clicklog.observe")
public interface ObserveConfig {

    Records records();

    Preview preview();

    Download download();

    TestClick testClick();

    /** Reading the latest records of a stream (see {@link RecordTail}). */
    interface Records {

        /** How long one read of a stream answers every viewer; Kinesis allows 5 GetRecords per second per shard. */
        @WithDefault("1s")
        Duration cacheTtl();

        /** The first window read, back from now; it widens ×4 until enough records are found. */
        @WithDefault("10s")
        Duration initialWindow();

        /**
         * How often a records feed with nothing to push sends a comment, so that proxies and clients
         * do not take the quiet connection for a dead one (many cut idle connections after 30-60 s).
         */
        @WithDefault("15s")
        Duration feedHeartbeat();

        /**
         * AWS calls (GetShardIterator and GetRecords, throttled ones included) one read may make per
         * shard: enough to widen from the first window to a year's retention, or to search a burst
         * (about 20 probes of a GetShardIterator and a GetRecords each).
         */
        @WithDefault("40")
        int maxCallsPerShard();

        /**
         * How long one read may take; what was found by then is answered, marked incomplete. Room for
         * the call budget's GetRecords at the paced rate.
         */
        @WithDefault("6s")
        Duration deadline();

        /**
         * GetRecords calls per shard in any one second, for every read of this process together.
         * Kinesis serves 5 to all consumers of a shard; the stream's Firehose reads each shard once a
         * second, so 4 leaves it its read.
         */
        @WithDefault("4")
        int readsPerShardPerSecond();

        /** Shards read at the same time, across every stream being read. */
        @WithDefault("8")
        int readThreads();
    }

    /** Previewing an S3 object (see {@link ObjectBrowser}). */
    interface Preview {

        /** The bytes fetched from the start of the object (one ranged GET). */
        @WithDefault("262144")
        int maxBytes();

        /** The most a compressed preview may expand to. */
        @WithDefault("1048576")
        int maxExpandedBytes();

        /** The most records one preview shows. */
        @WithDefault("2000")
        int maxRecords();
    }

    /** Downloading an S3 object through a presigned link (see {@link ObjectBrowser#download}). */
    interface Download {

        /** How long a download link works; S3 allows up to 7 days. Minutes: enough to click, too short to pass around. */
        @WithDefault("5m")
        Duration linkValidity();
    }

    /** Sending a test click through a pipeline's invoke URL. */
    interface TestClick {

        @WithDefault("5s")
        Duration connectTimeout();

        /** API Gateway gives its integration 29 s; a test click waits a little longer for the gateway's own answer. */
        @WithDefault("30s")
        Duration timeout();
    }
}
