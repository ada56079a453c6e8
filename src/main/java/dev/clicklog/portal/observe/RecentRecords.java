package dev.clicklog.portal.observe;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The latest records of a pipeline's stream, newest first by arrival time across its shards.
 * {@code complete} is false when the read ran out of its call or time budget (or Kinesis kept
 * throttling it) before it found {@code limit} records or reached {@code since}: the records shown
 * are then the newest it found.
 */
@Schema(description = "The latest records of the pipeline's stream, newest first by arrival time across shards")
public record RecentRecords(
        String pipeline,
        String streamName,
        int limit,
        @Schema(nullable = true, description = "Only records that arrived at or after this") Instant since,
        @Schema(nullable = true, description = "Only records that arrived before this (a page back in time)") Instant before,
        @Schema(description = "When the stream was read (one read serves concurrent viewers for a second)") Instant readAt,
        @Schema(description = "False when the read stopped at its budget before finding limit records") boolean complete,
        List<StreamRecord> records) {
}
