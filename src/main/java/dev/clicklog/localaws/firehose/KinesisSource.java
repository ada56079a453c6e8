package dev.clicklog.localaws.firehose;

/** The Kinesis data stream a KinesisStreamAsSource delivery stream reads, and the role it reads as. */
record KinesisSource(String streamArn, String roleArn) {

    /** arn:partition:kinesis:region:account:stream/name → name. */
    String streamName() {
        return streamArn.substring(streamArn.indexOf(":stream/") + ":stream/".length());
    }

    /** arn:partition:kinesis:region:account:stream/name → account. */
    String account() {
        String[] parts = streamArn.split(":", 6);
        return parts.length > 4 ? parts[4] : "";
    }
}
