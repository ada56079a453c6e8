package dev.clicklog.localaws.s3;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.clicklog.endpoint.LocalEndpoint;
import dev.clicklog.testing.AwsCli;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetBucketVersioningResponse;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The read side of versioning on buckets that were never versioned: every object is its "null" version. */
@QuarkusTest
class S3VersionsTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    S3Client s3;

    @Inject
    LocalEndpoint endpoint;

    @Test
    void aNeverVersionedBucketShowsNoStatusAndRefusesToStartVersioning() {
        String bucket = bucket();
        GetBucketVersioningResponse versioning = s3.getBucketVersioning(r -> r.bucket(bucket));
        assertNull(versioning.status());
        assertNull(versioning.mfaDelete());
        S3Fixtures.raw(endpoint).get("/" + bucket + "?versioning").then().statusCode(200)
                .body(equalTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                        + "<VersioningConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"></VersioningConfiguration>"));
        for (BucketVersioningStatus status : List.of(BucketVersioningStatus.ENABLED, BucketVersioningStatus.SUSPENDED)) {
            S3Exception refused = assertThrows(S3Exception.class, () -> s3.putBucketVersioning(r -> r.bucket(bucket)
                    .versioningConfiguration(v -> v.status(status))));
            assertEquals(501, refused.statusCode());
            assertEquals("NotImplemented", refused.awsErrorDetails().errorCode());
        }
        assertNull(s3.getBucketVersioning(r -> r.bucket(bucket)).status());
        assertThrows(S3Exception.class, () -> s3.getBucketVersioning(r -> r.bucket(S3Fixtures.bucketName("none"))));
    }

    @Test
    void listObjectVersionsPagesThroughNullVersions() {
        String bucket = bucket();
        List<String> keys = List.of("a", "b/1", "b/2", "c", "d e+f");
        keys.forEach(k -> s3.putObject(r -> r.bucket(bucket).key(k), RequestBody.fromString(k)));

        ListObjectVersionsResponse first = s3.listObjectVersions(r -> r.bucket(bucket).maxKeys(2));
        assertTrue(first.isTruncated());
        assertEquals(List.of("a", "b/1"), first.versions().stream().map(ObjectVersion::key).toList());
        ObjectVersion a = first.versions().get(0);
        assertEquals("null", a.versionId());
        assertTrue(a.isLatest());
        assertEquals(1L, a.size());
        assertEquals(s3.headObject(r -> r.bucket(bucket).key("a")).eTag(), a.eTag());
        assertTrue(first.deleteMarkers().isEmpty());
        assertEquals("b/1", first.nextKeyMarker());
        assertEquals("null", first.nextVersionIdMarker());

        List<String> all = new ArrayList<>();
        s3.listObjectVersionsPaginator(r -> r.bucket(bucket).maxKeys(2)).versions().forEach(v -> all.add(v.key()));
        assertEquals(keys, all);

        ListObjectVersionsResponse folders = s3.listObjectVersions(r -> r.bucket(bucket).delimiter("/"));
        assertEquals(List.of("b/"), folders.commonPrefixes().stream().map(p -> p.prefix()).toList());
        assertEquals(List.of("a", "c", "d e+f"), folders.versions().stream().map(ObjectVersion::key).toList());

        S3Exception noKeyMarker = assertThrows(S3Exception.class, () -> s3.listObjectVersions(r -> r.bucket(bucket)
                .versionIdMarker("null")));
        assertEquals("InvalidArgument", noKeyMarker.awsErrorDetails().errorCode());
        S3Exception badVersion = assertThrows(S3Exception.class, () -> s3.listObjectVersions(r -> r.bucket(bucket)
                .keyMarker("a").versionIdMarker("3HL4kqtJlcpXroDTDmJ")));
        assertEquals("InvalidArgument", badVersion.awsErrorDetails().errorCode());
    }

    @Test
    void nullVersionsAreDeletedByVersionId() {
        String bucket = bucket();
        s3.putObject(r -> r.bucket(bucket).key("one"), RequestBody.fromString("1"));
        s3.putObject(r -> r.bucket(bucket).key("two"), RequestBody.fromString("2"));
        DeleteObjectResponse deleted = s3.deleteObject(r -> r.bucket(bucket).key("one").versionId("null"));
        assertEquals("null", deleted.versionId());
        DeleteObjectsResponse batch = s3.deleteObjects(r -> r.bucket(bucket).delete(d -> d.objects(
                ObjectIdentifier.builder().key("two").versionId("null").build())));
        assertEquals("null", batch.deleted().get(0).versionId());
        assertTrue(s3.listObjectVersions(r -> r.bucket(bucket)).versions().isEmpty());
    }

    @Test
    void theCliListsVersionsAndEmptiesABucketThroughThem() throws Exception {
        String bucket = bucket();
        AwsCli aws = new AwsCli(endpoint.uri(), "us-east-1");
        for (String k : List.of("logs/x y.json", "logs/z.json", "top.json")) {
            s3.putObject(r -> r.bucket(bucket).key(k), RequestBody.fromString(k));
        }
        JsonNode listed = JSON.readTree(aws.run("s3api", "list-object-versions", "--bucket", bucket, "--prefix", "logs/")
                .assertOk().stdout());
        List<String> keys = new ArrayList<>();
        listed.get("Versions").forEach(v -> {
            keys.add(v.get("Key").asText());
            assertEquals("null", v.get("VersionId").asText());
            assertTrue(v.get("IsLatest").asBoolean());
        });
        assertEquals(List.of("logs/x y.json", "logs/z.json"), keys);
        assertFalse(listed.has("DeleteMarkers"));

        // What tools that empty a bucket do: list every version, delete each by its version id.
        JsonNode everything = JSON.readTree(aws.run("s3api", "list-object-versions", "--bucket", bucket,
                "--page-size", "1").assertOk().stdout());
        assertEquals(3, everything.get("Versions").size());
        for (JsonNode v : everything.get("Versions")) {
            aws.run("s3api", "delete-object", "--bucket", bucket, "--key", v.get("Key").asText(), "--version-id",
                    v.get("VersionId").asText()).assertOk();
        }
        aws.run("s3api", "delete-bucket", "--bucket", bucket).assertOk();
    }

    private String bucket() {
        String bucket = S3Fixtures.bucketName("versions");
        s3.createBucket(r -> r.bucket(bucket));
        return bucket;
    }
}
