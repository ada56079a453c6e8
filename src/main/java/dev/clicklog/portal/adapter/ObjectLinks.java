package dev.clicklog.portal.adapter;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedGetObjectRequest;

/**
 * Links to S3 objects that work without AWS credentials for a while: presigned GETs, signed with
 * the portal's own credentials against the same endpoint as its S3 client (AWS, or localaws in
 * local mode). Signing is local: no request is sent.
 */
@ApplicationScoped
public class ObjectLinks {

    /** A presigned URL and the moment it stops working. */
    public record Link(URI url, Instant expiresAt) {
    }

    private final S3Presigner presigner;

    ObjectLinks(S3Presigner presigner) {
        this.presigner = presigner;
    }

    /** A GET of the object, valid for {@code validity}, that browsers save as {@code fileName} rather than show. */
    public Link download(String bucket, String key, String fileName, Duration validity) {
        PresignedGetObjectRequest presigned = AwsErrors.call(() -> presigner.presignGetObject(p -> p
                .signatureDuration(validity)
                .getObjectRequest(r -> r.bucket(bucket).key(key).responseContentDisposition(attachment(fileName)))));
        return new Link(URI.create(presigned.url().toString()), presigned.expiration());
    }

    /**
     * {@code attachment; filename="…"; filename*=UTF-8''…} (RFC 6266): an ASCII name for old clients,
     * the exact name for the rest.
     */
    static String attachment(String fileName) {
        StringBuilder ascii = new StringBuilder();
        StringBuilder encoded = new StringBuilder();
        for (char c : fileName.toCharArray()) {
            ascii.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '_');
        }
        for (byte b : fileName.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "!#$&+-.^_`|~".indexOf(c) >= 0) {
                encoded.append(c);
            } else {
                encoded.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
    }
}
