package dev.clicklog.portal.observe;

import java.net.URI;
import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A link that downloads one of a pipeline's objects without AWS credentials, until it expires. */
@Schema(description = "A presigned GET of an S3 object: works without credentials until expiresAt")
public record ObjectDownload(
        String bucket,
        String key,
        @Schema(description = "The object as S3 tools name it: s3://bucket/key") String s3Uri,
        @Schema(description = "The presigned URL; browsers save what it answers as a file") URI url,
        @Schema(description = "When the URL stops working") Instant expiresAt) {
}
