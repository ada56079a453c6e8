package dev.clicklog.portal.pipeline;

import software.amazon.awssdk.services.kinesis.KinesisClient;

/** A test-only example of what the package rules forbid: the domain calling the AWS SDK itself. */
public class SdkImportExample {

    Object streams(KinesisClient kinesis) {
        return kinesis.listStreams();
    }
}
