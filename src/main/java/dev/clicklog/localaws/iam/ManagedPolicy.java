package dev.clicklog.localaws.iam;

import java.time.Instant;

/**
 * A customer managed policy as IAM keeps it: one version (v1, its default), attachable to users.
 * Immutable; the service replaces it with a copy whose attachment count changed.
 */
public record ManagedPolicy(String name, String path, String id, String arn, String description, String document,
        Instant createDate, int attachmentCount) {

    ManagedPolicy withAttachments(int count) {
        return new ManagedPolicy(name, path, id, arn, description, document, createDate, count);
    }
}
