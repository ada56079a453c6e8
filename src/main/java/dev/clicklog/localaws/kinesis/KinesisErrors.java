package dev.clicklog.localaws.kinesis;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import dev.clicklog.localaws.protocol.AwsServiceException;

/**
 * Kinesis' errors with AWS's wording. Kinesis answers every client error with HTTP 400, including
 * ResourceNotFoundException.
 */
final class KinesisErrors {

    /** How Kinesis prints times in ExpiredIteratorException: "Thu Jan 22 01:22:02 UTC 2015". */
    private static final DateTimeFormatter AMZ_UTC = DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss 'UTC' yyyy", Locale.US)
            .withZone(ZoneOffset.UTC);

    private final String account;

    KinesisErrors(String account) {
        this.account = account;
    }

    static AwsServiceException invalidArgument(String message) {
        return AwsServiceException.badRequest("InvalidArgumentException", message);
    }

    static AwsServiceException validation(String message) {
        return AwsServiceException.badRequest("ValidationException", message);
    }

    /** One of UpdateShardCount's default limits (raisable through AWS Support, hence LimitExceeded). */
    AwsServiceException scalingLimit(KinesisStream stream, String why) {
        return AwsServiceException.badRequest("LimitExceededException", "UpdateShardCount failed for stream "
                + stream.name + " under account " + account + ": " + why + ".");
    }

    AwsServiceException modeSwitchLimit(KinesisStream stream, int perDay) {
        return AwsServiceException.badRequest("LimitExceededException", "Stream " + stream.name + " under account "
                + account + " has already switched its capacity mode " + perDay + " times in the last 24 hours.");
    }

    AwsServiceException streamNotFound(String stream) {
        return AwsServiceException.badRequest("ResourceNotFoundException",
                "Stream " + stream + " under account " + account + " not found.");
    }

    AwsServiceException shardNotFound(String shardId, String stream) {
        return AwsServiceException.badRequest("ResourceNotFoundException",
                "Shard " + shardId + " in stream " + stream + " under account " + account + " does not exist");
    }

    AwsServiceException noSuchShard(String shardId, String stream) {
        return AwsServiceException.badRequest("ResourceNotFoundException",
                "Could not find shard " + shardId + " in stream " + stream + " under account " + account + ".");
    }

    AwsServiceException streamExists(String stream) {
        return AwsServiceException.badRequest("ResourceInUseException",
                "Stream " + stream + " under account " + account + " already exists.");
    }

    AwsServiceException notActive(KinesisStream stream) {
        return AwsServiceException.badRequest("ResourceInUseException",
                "Stream " + stream.name + " under account " + account + " not ACTIVE, instead in state " + stream.status());
    }

    AwsServiceException throughputExceeded(StreamShard shard, KinesisStream stream) {
        return AwsServiceException.badRequest("ProvisionedThroughputExceededException", throughputMessage(shard, stream));
    }

    String throughputMessage(StreamShard shard, KinesisStream stream) {
        return "Rate exceeded for shard " + shard.shardId + " in stream " + stream.name + " under account " + account + ".";
    }

    AwsServiceException shardLimit(String region, int current, int limit, int requested) {
        return AwsServiceException.badRequest("LimitExceededException",
                "This request would exceed the shard limit for the account " + account + " in " + region
                        + ". Current shard count for the account: " + current + ". Limit: " + limit
                        + ". Number of additional shards that would have resulted from this request: " + requested
                        + ". Refer to the AWS Service Limits page (https://docs.aws.amazon.com/general/latest/gr/aws_service_limits.html)"
                        + " for current limits and how to request higher limits.");
    }

    static AwsServiceException expiredIterator(long issuedMillis, long nowMillis, long toleratedMillis) {
        return AwsServiceException.badRequest("ExpiredIteratorException",
                "Iterator expired. The iterator was created at time " + AMZ_UTC.format(Instant.ofEpochMilli(issuedMillis))
                        + " while right now it is " + AMZ_UTC.format(Instant.ofEpochMilli(nowMillis))
                        + " which is further in the future than the tolerated delay of " + toleratedMillis + " milliseconds.");
    }

    static AwsServiceException expiredNextToken() {
        return AwsServiceException.badRequest("ExpiredNextTokenException", "The NextToken has expired.");
    }

    String account() {
        return account;
    }
}
