package dev.clicklog.portal.pipeline;

/** How Firehose compresses the objects it writes. */
public enum Compression {
    NONE("UNCOMPRESSED"), GZIP("GZIP");

    private final String firehoseFormat;

    Compression(String firehoseFormat) {
        this.firehoseFormat = firehoseFormat;
    }

    /** Firehose's name for it (CompressionFormat). */
    public String firehoseFormat() {
        return firehoseFormat;
    }
}
