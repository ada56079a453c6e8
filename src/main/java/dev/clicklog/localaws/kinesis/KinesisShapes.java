package dev.clicklog.localaws.kinesis;

import java.time.Instant;
import java.util.List;

/**
 * Kinesis' output shapes (botocore's kinesis/2013-12-02 model), serialised with upper-camel-case
 * member names; absent members are left out as AWS leaves them out.
 */
final class KinesisShapes {

    private KinesisShapes() {
    }

    record StreamModeDetails(String streamMode) {
    }

    record HashKeyRange(String startingHashKey, String endingHashKey) {

        static HashKeyRange of(StreamShard shard) {
            return new HashKeyRange(shard.startingHashKey.toBigInteger().toString(),
                    shard.endingHashKey.toBigInteger().toString());
        }
    }

    record SequenceNumberRange(String startingSequenceNumber, String endingSequenceNumber) {
    }

    record Shard(String shardId, String parentShardId, String adjacentParentShardId, HashKeyRange hashKeyRange,
            SequenceNumberRange sequenceNumberRange) {

        static Shard of(StreamShard shard) {
            return new Shard(shard.shardId, shard.parentShardId, shard.adjacentParentShardId, HashKeyRange.of(shard),
                    new SequenceNumberRange(shard.startingSequenceNumber(), shard.endingSequenceNumber()));
        }
    }

    /** In GetRecords' answer at the end of a closed shard: a shard that took over its keys. */
    record ChildShard(String shardId, List<String> parentShards, HashKeyRange hashKeyRange) {

        static ChildShard of(StreamShard shard) {
            List<String> parents = shard.adjacentParentShardId == null ? List.of(shard.parentShardId)
                    : List.of(shard.parentShardId, shard.adjacentParentShardId);
            return new ChildShard(shard.shardId, parents, HashKeyRange.of(shard));
        }
    }

    record UpdateShardCountOutput(String streamName, Integer currentShardCount, Integer targetShardCount,
            String streamARN) {
    }

    record EnhancedMetrics(List<String> shardLevelMetrics) {

        /** No enhanced (shard-level) monitoring: what AWS reports for a new stream. */
        static final List<EnhancedMetrics> NONE = List.of(new EnhancedMetrics(List.of()));
    }

    record StreamDescription(String streamName, String streamARN, String streamStatus, StreamModeDetails streamModeDetails,
            List<Shard> shards, Boolean hasMoreShards, Integer retentionPeriodHours, Instant streamCreationTimestamp,
            List<EnhancedMetrics> enhancedMonitoring, String encryptionType, String keyId) {
    }

    record DescribeStreamOutput(StreamDescription streamDescription) {
    }

    record StreamDescriptionSummary(String streamName, String streamARN, String streamStatus,
            StreamModeDetails streamModeDetails, Integer retentionPeriodHours, Instant streamCreationTimestamp,
            List<EnhancedMetrics> enhancedMonitoring, String encryptionType, String keyId, Integer openShardCount,
            Integer consumerCount, Integer maxRecordSizeInKiB) {
    }

    record DescribeStreamSummaryOutput(StreamDescriptionSummary streamDescriptionSummary) {
    }

    record StreamSummary(String streamName, String streamARN, String streamStatus, StreamModeDetails streamModeDetails,
            Instant streamCreationTimestamp) {
    }

    record ListStreamsOutput(List<String> streamNames, Boolean hasMoreStreams, String nextToken,
            List<StreamSummary> streamSummaries) {
    }

    record ListShardsOutput(List<Shard> shards, String nextToken) {
    }

    record PutRecordOutput(String shardId, String sequenceNumber, String encryptionType) {
    }

    record GetShardIteratorOutput(String shardIterator) {
    }

    record Tag(String key, String value) {
    }

    record ListTagsForStreamOutput(List<Tag> tags, Boolean hasMoreTags) {
    }
}
