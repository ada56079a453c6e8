package dev.clicklog.localaws.firehose;

/** The Kinesis data stream a KinesisStreamAsSource delivery stream reads, and the role it reads as. */
record KinesisSource(String streamArn, String roleArn) {

    /** arn:partition:kinesis:region:account:stream/name → name. */
    String streamName() {
        return streamArn.substring(streamArn.indexOf(":stream/") + ":stream/".length());
    }

    String account() {
        return arnPart(4);
    }

    String region() {
        return arnPart(3);
    }

    private String arnPart(int index) {
        String[] parts = streamArn.split(":", 6);
        return parts.length > index ? parts[index] : "";
    }
}
