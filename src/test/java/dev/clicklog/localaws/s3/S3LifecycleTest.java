package dev.clicklog.localaws.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.TransitionStorageClass;

/**
 * Lifecycle rules configured through the SDK take effect: objects expire, change storage class,
 * and incomplete multipart uploads are aborted, by the rules' filters and S3's day arithmetic
 * (days after the write, rounded up to midnight UTC). The sweep runs as of a given time, so a
 * rule's days need not pass in the test.
 */
@QuarkusTest
class S3LifecycleTest {

    @Inject
    S3Client s3;

    @Inject
    LifecycleSweeper sweeper;

    @Test
    void expirationByDaysFollowsTheFilterAndRoundsUpToMidnight() {
        String bucket = bucketWith("old/a", "old/b", "keep/c", "old/big");
        s3.putObject(r -> r.bucket(bucket).key("old/big"), RequestBody.fromBytes(new byte[2048]));
        LifecycleRule expireOld = LifecycleRule.builder().id("expire-old").status(ExpirationStatus.ENABLED)
                .filter(f -> f.and(a -> a.prefix("old/").objectSizeLessThan(1024L))).expiration(e -> e.days(1)).build();
        LifecycleRule disabled = LifecycleRule.builder().id("off").status(ExpirationStatus.DISABLED)
                .filter(f -> f.prefix("keep/")).expiration(e -> e.days(1)).build();
        s3.putBucketLifecycleConfiguration(r -> r.bucket(bucket).lifecycleConfiguration(c -> c.rules(expireOld, disabled)));

        Instant written = Instant.now();
        Instant dueAt = LocalDate.ofInstant(written, ZoneOffset.UTC).plusDays(2).atStartOfDay(ZoneOffset.UTC).toInstant();
        sweeper.sweep(dueAt.minusSeconds(1));
        assertEquals(List.of("keep/c", "old/a", "old/b", "old/big"), keys(bucket), "not yet due: one day, rounded up to midnight");

        sweeper.sweep(dueAt);
        assertEquals(List.of("keep/c", "old/big"), keys(bucket), "the small objects under old/ expired; the disabled rule did nothing");
        S3Exception gone = assertThrows(S3Exception.class, () -> s3.getObjectAsBytes(r -> r.bucket(bucket).key("old/a")));
        assertEquals("NoSuchKey", gone.awsErrorDetails().errorCode());
    }

    @Test
    void expirationByDateAndTransitionToAnArchiveClass() {
        String bucket = bucketWith("logs/1", "logs/2", "tmp/x");
        String today = LocalDate.now(ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant().toString();
        LifecycleRule tmp = LifecycleRule.builder().id("tmp").status(ExpirationStatus.ENABLED)
                .filter(f -> f.prefix("tmp/")).expiration(e -> e.date(Instant.parse(today))).build();
        LifecycleRule archive = LifecycleRule.builder().id("archive").status(ExpirationStatus.ENABLED)
                .filter(f -> f.prefix("logs/")).transitions(t -> t.days(0).storageClass(TransitionStorageClass.GLACIER)).build();
        s3.putBucketLifecycleConfiguration(r -> r.bucket(bucket).lifecycleConfiguration(c -> c.rules(tmp, archive)));

        sweeper.sweep(Instant.now().plus(Duration.ofDays(1)));

        List<S3Object> listed = s3.listObjectsV2(r -> r.bucket(bucket)).contents();
        assertEquals(List.of("logs/1", "logs/2"), listed.stream().map(S3Object::key).toList());
        assertEquals(List.of("GLACIER", "GLACIER"), listed.stream().map(S3Object::storageClassAsString).toList());
        S3Exception archived = assertThrows(S3Exception.class, () -> s3.getObjectAsBytes(r -> r.bucket(bucket).key("logs/1")));
        assertEquals("InvalidObjectState", archived.awsErrorDetails().errorCode());
        assertEquals("GLACIER", s3.headObject(r -> r.bucket(bucket).key("logs/2")).storageClassAsString());
    }

    @Test
    void incompleteMultipartUploadsAreAborted() {
        String bucket = bucketWith();
        String upload = s3.createMultipartUpload(r -> r.bucket(bucket).key("big/file")).uploadId();
        s3.putBucketLifecycleConfiguration(r -> r.bucket(bucket).lifecycleConfiguration(c -> c.rules(
                LifecycleRule.builder().id("abort").status(ExpirationStatus.ENABLED).filter(f -> f.prefix(""))
                        .abortIncompleteMultipartUpload(a -> a.daysAfterInitiation(1)).build())));

        sweeper.sweep(Instant.now());
        s3.uploadPart(r -> r.bucket(bucket).key("big/file").uploadId(upload).partNumber(1), RequestBody.fromString("part 1"));

        sweeper.sweep(Instant.now().plus(Duration.ofDays(2)));
        S3Exception aborted = assertThrows(S3Exception.class, () -> s3.uploadPart(
                r -> r.bucket(bucket).key("big/file").uploadId(upload).partNumber(2), RequestBody.fromString("part 2")));
        assertEquals("NoSuchUpload", aborted.awsErrorDetails().errorCode());
    }

    @Test
    void aDateMustBeAtMidnight() {
        String bucket = bucketWith();
        S3Exception refused = assertThrows(S3Exception.class, () -> s3.putBucketLifecycleConfiguration(r -> r.bucket(bucket)
                .lifecycleConfiguration(c -> c.rules(LifecycleRule.builder().id("noon").status(ExpirationStatus.ENABLED)
                        .filter(f -> f.prefix("")).expiration(e -> e.date(Instant.parse("2030-01-01T12:00:00Z"))).build()))));
        assertEquals("InvalidArgument", refused.awsErrorDetails().errorCode());
        assertEquals(400, refused.statusCode());
    }

    private String bucketWith(String... keys) {
        String bucket = S3Fixtures.bucketName("lifecycle");
        s3.createBucket(r -> r.bucket(bucket));
        for (String key : keys) {
            s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString("clicks of " + key));
        }
        return bucket;
    }

    private List<String> keys(String bucket) {
        return s3.listObjectsV2(r -> r.bucket(bucket)).contents().stream().map(S3Object::key).toList();
    }
}
