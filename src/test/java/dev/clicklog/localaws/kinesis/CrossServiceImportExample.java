package dev.clicklog.localaws.kinesis;

import dev.clicklog.localaws.s3.S3Service;

/** A test-only example of what the package rules forbid: one emulated service using another's internals. */
public class CrossServiceImportExample {

    Object buckets(S3Service s3) {
        return s3;
    }
}
