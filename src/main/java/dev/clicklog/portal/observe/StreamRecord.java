package dev.clicklog.portal.observe;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One record of a pipeline's stream, with its data decoded. {@code size} is the data's length in bytes. */
@Schema(description = "A record of the pipeline's stream, its data decoded")
public record StreamRecord(
        @Schema(examples = "shardId-000000000000") String shardId,
        String sequenceNumber,
        String partitionKey,
        @Schema(description = "When Kinesis accepted the record (ApproximateArrivalTimestamp)") Instant arrivalTime,
        @Schema(description = "Bytes of data") int size,
        DecodedData data) {
}
