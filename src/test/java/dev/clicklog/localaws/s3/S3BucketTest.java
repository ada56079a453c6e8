package dev.clicklog.localaws.s3;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.emptyString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.clicklog.endpoint.LocalEndpoint;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.BucketLocationConstraint;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.ListBucketsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.PublicAccessBlockConfiguration;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionRule;
import software.amazon.awssdk.services.s3.model.Tag;

@QuarkusTest
class S3BucketTest {

    @Inject
    S3Client s3;

    @Inject
    LocalEndpoint endpoint;

    @Test
    void createHeadListAndDeleteBucket() {
        String bucket = S3Fixtures.bucketName("lifecycle");
        s3.createBucket(r -> r.bucket(bucket));

        assertEquals("us-east-1", s3.headBucket(r -> r.bucket(bucket)).bucketRegion());
        assertEquals("us-east-1", s3.headBucket(r -> r.bucket(bucket).expectedBucketOwner("000000000000")).bucketRegion());
        assertEquals(403, assertThrows(S3Exception.class,
                () -> s3.listObjectsV2(r -> r.bucket(bucket).expectedBucketOwner("111111111111"))).statusCode());
        ListBucketsResponse listed = s3.listBuckets();
        assertTrue(listed.buckets().stream().anyMatch(b -> b.name().equals(bucket) && "us-east-1".equals(b.bucketRegion())
                && b.creationDate() != null));
        assertTrue(listed.owner().id().matches("[0-9a-f]{64}"), listed.owner().id());
        // us-east-1 buckets have an empty location constraint.
        String location = s3.getBucketLocation(r -> r.bucket(bucket)).locationConstraintAsString();
        assertTrue(location == null || location.isEmpty(), location);

        s3.deleteBucket(r -> r.bucket(bucket));
        NoSuchBucketException head = assertThrows(NoSuchBucketException.class, () -> s3.headBucket(r -> r.bucket(bucket)));
        assertEquals(404, head.statusCode());
        assertThrows(NoSuchBucketException.class, () -> s3.deleteBucket(r -> r.bucket(bucket)));
        assertFalse(s3.listBuckets().buckets().stream().anyMatch(b -> b.name().equals(bucket)));
    }

    @Test
    void recreatingYourBucketIsANoOpInUsEast1AndAConflictElsewhere() {
        String bucket = S3Fixtures.bucketName("dup");
        s3.createBucket(r -> r.bucket(bucket));
        s3.putObject(r -> r.bucket(bucket).key("kept"), RequestBody.fromString("still here"));
        // S3's documented legacy behaviour: 200 and nothing changes.
        s3.createBucket(r -> r.bucket(bucket));
        assertEquals("still here", s3.getObjectAsBytes(r -> r.bucket(bucket).key("kept")).asUtf8String());

        try (S3Client eu = regionalClient(Region.EU_WEST_1)) {
            BucketAlreadyOwnedByYouException e = assertThrows(BucketAlreadyOwnedByYouException.class,
                    () -> eu.createBucket(r -> r.bucket(bucket).createBucketConfiguration(c -> c.locationConstraint("eu-west-1"))));
            assertEquals(409, e.statusCode());

            String euBucket = S3Fixtures.bucketName("eu");
            eu.createBucket(r -> r.bucket(euBucket).createBucketConfiguration(c -> c.locationConstraint("eu-west-1")));
            assertEquals(BucketLocationConstraint.EU_WEST_1, s3.getBucketLocation(r -> r.bucket(euBucket)).locationConstraint());
            assertEquals("eu-west-1", s3.headBucket(r -> r.bucket(euBucket)).bucketRegion());
            assertThrows(BucketAlreadyOwnedByYouException.class, () -> eu.createBucket(
                    r -> r.bucket(euBucket).createBucketConfiguration(c -> c.locationConstraint("eu-west-1"))));
            assertThrows(BucketAlreadyOwnedByYouException.class, () -> s3.createBucket(r -> r.bucket(euBucket)));

            // A regional endpoint refuses a bucket for another region, and one without a constraint.
            String other = S3Fixtures.bucketName("other");
            S3Exception wrongRegion = assertThrows(S3Exception.class,
                    () -> eu.createBucket(r -> r.bucket(other).createBucketConfiguration(c -> c.locationConstraint("us-west-2"))));
            assertEquals("IllegalLocationConstraintException", wrongRegion.awsErrorDetails().errorCode());
            assertThrows(NoSuchBucketException.class, () -> s3.headBucket(r -> r.bucket(other)));
        }
    }

    @Test
    void invalidBucketNamesAreRefused() {
        // The SDK refuses some of these itself; the endpoint must refuse all of them.
        for (String name : List.of("ab", "UpperCase", "has_underscore", "-leading-dash", "trailing-dash-", "192.168.10.1",
                "two..dots", "xn--punycode", "ends-s3alias-s3alias", "x".repeat(64))) {
            S3Fixtures.raw(endpoint).put("/" + name).then().statusCode(400)
                    .body("Error.Code", equalTo("InvalidBucketName"))
                    .body("Error.BucketName", equalTo(name));
        }
        for (String name : List.of("xn--punycode", "ends-s3alias-s3alias", "amzn-s3-demo-bucket")) {
            S3Exception e = assertThrows(S3Exception.class, () -> s3.createBucket(r -> r.bucket(name)), name);
            assertEquals(400, e.statusCode(), name);
            assertEquals("InvalidBucketName", e.awsErrorDetails().errorCode(), name);
        }
        assertFalse(s3.listBuckets().buckets().stream().anyMatch(b -> !BucketNames.valid(b.name())));
    }

    @Test
    void nonEmptyBucketsCannotBeDeleted() {
        String bucket = S3Fixtures.bucketName("full");
        s3.createBucket(r -> r.bucket(bucket));
        s3.putObject(r -> r.bucket(bucket).key("a"), RequestBody.fromString("a"));
        S3Exception e = assertThrows(S3Exception.class, () -> s3.deleteBucket(r -> r.bucket(bucket)));
        assertEquals(409, e.statusCode());
        assertEquals("BucketNotEmpty", e.awsErrorDetails().errorCode());
        assertEquals("a", s3.getObjectAsBytes(r -> r.bucket(bucket).key("a")).asUtf8String());

        s3.deleteObject(r -> r.bucket(bucket).key("a"));
        s3.deleteBucket(r -> r.bucket(bucket));
        assertThrows(NoSuchBucketException.class, () -> s3.headBucket(r -> r.bucket(bucket)));
    }

    @Test
    void bucketTagging() {
        String bucket = S3Fixtures.bucketName("tags");
        s3.createBucket(r -> r.bucket(bucket));
        S3Exception none = assertThrows(S3Exception.class, () -> s3.getBucketTagging(r -> r.bucket(bucket)));
        assertEquals(404, none.statusCode());
        assertEquals("NoSuchTagSet", none.awsErrorDetails().errorCode());

        List<Tag> tags = List.of(Tag.builder().key("clicklog:pipeline").value("clicks").build(),
                Tag.builder().key("managed-by").value("clicklog-portal").build());
        s3.putBucketTagging(r -> r.bucket(bucket).tagging(t -> t.tagSet(tags)));
        assertEquals(tags, s3.getBucketTagging(r -> r.bucket(bucket)).tagSet());

        S3Exception system = assertThrows(S3Exception.class, () -> s3.putBucketTagging(r -> r.bucket(bucket)
                .tagging(t -> t.tagSet(Tag.builder().key("aws:cloudformation:stack").value("x").build()))));
        assertEquals("InvalidTag", system.awsErrorDetails().errorCode());
        assertEquals(tags, s3.getBucketTagging(r -> r.bucket(bucket)).tagSet());

        s3.deleteBucketTagging(r -> r.bucket(bucket));
        assertThrows(S3Exception.class, () -> s3.getBucketTagging(r -> r.bucket(bucket)));
        assertThrows(NoSuchBucketException.class, () -> s3.getBucketTagging(r -> r.bucket(S3Fixtures.bucketName("none"))));
    }

    @Test
    void publicAccessBlock() {
        String bucket = S3Fixtures.bucketName("pab");
        s3.createBucket(r -> r.bucket(bucket));
        // New buckets block public access, as on S3.
        PublicAccessBlockConfiguration fresh = s3.getPublicAccessBlock(r -> r.bucket(bucket)).publicAccessBlockConfiguration();
        assertEquals(PublicAccessBlockConfiguration.builder().blockPublicAcls(true).ignorePublicAcls(true)
                .blockPublicPolicy(true).restrictPublicBuckets(true).build(), fresh);

        PublicAccessBlockConfiguration partial = PublicAccessBlockConfiguration.builder().blockPublicAcls(true)
                .ignorePublicAcls(false).blockPublicPolicy(true).restrictPublicBuckets(false).build();
        s3.putPublicAccessBlock(r -> r.bucket(bucket).publicAccessBlockConfiguration(partial));
        assertEquals(partial, s3.getPublicAccessBlock(r -> r.bucket(bucket)).publicAccessBlockConfiguration());

        s3.deletePublicAccessBlock(r -> r.bucket(bucket));
        S3Exception gone = assertThrows(S3Exception.class, () -> s3.getPublicAccessBlock(r -> r.bucket(bucket)));
        assertEquals("NoSuchPublicAccessBlockConfiguration", gone.awsErrorDetails().errorCode());
    }

    @Test
    void defaultEncryption() {
        String bucket = S3Fixtures.bucketName("sse");
        s3.createBucket(r -> r.bucket(bucket));
        ServerSideEncryptionRule fresh = s3.getBucketEncryption(r -> r.bucket(bucket)).serverSideEncryptionConfiguration().rules().get(0);
        assertEquals(ServerSideEncryption.AES256, fresh.applyServerSideEncryptionByDefault().sseAlgorithm());

        s3.putBucketEncryption(r -> r.bucket(bucket).serverSideEncryptionConfiguration(c -> c.rules(rule -> rule
                .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AWS_KMS).kmsMasterKeyID("alias/clicks"))
                .bucketKeyEnabled(true))));
        ServerSideEncryptionRule kms = s3.getBucketEncryption(r -> r.bucket(bucket)).serverSideEncryptionConfiguration().rules().get(0);
        assertEquals(ServerSideEncryption.AWS_KMS, kms.applyServerSideEncryptionByDefault().sseAlgorithm());
        assertEquals("alias/clicks", kms.applyServerSideEncryptionByDefault().kmsMasterKeyID());
        assertTrue(kms.bucketKeyEnabled());
        assertEquals(ServerSideEncryption.AWS_KMS,
                s3.putObject(r -> r.bucket(bucket).key("k"), RequestBody.fromString("x")).serverSideEncryption());

        S3Exception bad = assertThrows(S3Exception.class, () -> s3.putBucketEncryption(r -> r.bucket(bucket)
                .serverSideEncryptionConfiguration(c -> c.rules(rule -> rule.applyServerSideEncryptionByDefault(
                        d -> d.sseAlgorithm(ServerSideEncryption.AES256).kmsMasterKeyID("alias/clicks"))))));
        assertEquals("InvalidArgument", bad.awsErrorDetails().errorCode());
        assertEquals(ServerSideEncryption.AWS_KMS, s3.getBucketEncryption(r -> r.bucket(bucket))
                .serverSideEncryptionConfiguration().rules().get(0).applyServerSideEncryptionByDefault().sseAlgorithm());

        s3.deleteBucketEncryption(r -> r.bucket(bucket));
        assertEquals(ServerSideEncryption.AES256, s3.getBucketEncryption(r -> r.bucket(bucket))
                .serverSideEncryptionConfiguration().rules().get(0).applyServerSideEncryptionByDefault().sseAlgorithm());
    }

    @Test
    void lifecycleConfiguration() {
        String bucket = S3Fixtures.bucketName("lc");
        s3.createBucket(r -> r.bucket(bucket));
        S3Exception none = assertThrows(S3Exception.class, () -> s3.getBucketLifecycleConfiguration(r -> r.bucket(bucket)));
        assertEquals("NoSuchLifecycleConfiguration", none.awsErrorDetails().errorCode());

        LifecycleRule expire = LifecycleRule.builder().id("expire-clicks").status(ExpirationStatus.ENABLED)
                .filter(f -> f.prefix("clicks/")).expiration(e -> e.days(30))
                .abortIncompleteMultipartUpload(a -> a.daysAfterInitiation(2)).build();
        LifecycleRule unnamed = LifecycleRule.builder().status(ExpirationStatus.DISABLED)
                .filter(f -> f.prefix("tmp/")).expiration(e -> e.days(1)).build();
        s3.putBucketLifecycleConfiguration(r -> r.bucket(bucket).lifecycleConfiguration(c -> c.rules(expire, unnamed)));

        List<LifecycleRule> rules = s3.getBucketLifecycleConfiguration(r -> r.bucket(bucket)).rules();
        assertEquals(2, rules.size());
        assertEquals(expire, rules.get(0));
        // S3 names a rule that was given no ID.
        assertFalse(rules.get(1).id().isEmpty());
        assertEquals(unnamed, rules.get(1).toBuilder().id(null).build());

        S3Exception badDays = assertThrows(S3Exception.class, () -> s3.putBucketLifecycleConfiguration(r -> r.bucket(bucket)
                .lifecycleConfiguration(c -> c.rules(expire.toBuilder().expiration(e -> e.days(0)).build()))));
        assertEquals("InvalidArgument", badDays.awsErrorDetails().errorCode());
        assertEquals(2, s3.getBucketLifecycleConfiguration(r -> r.bucket(bucket)).rules().size());

        s3.deleteBucketLifecycle(r -> r.bucket(bucket));
        assertThrows(S3Exception.class, () -> s3.getBucketLifecycleConfiguration(r -> r.bucket(bucket)));
    }

    @Test
    void malformedXmlBodiesChangeNothing() throws Exception {
        String bucket = S3Fixtures.bucketName("xml");
        s3.createBucket(r -> r.bucket(bucket));
        String truncated = "<Tagging><TagSet><Tag><Key>a</Key><Value>b</Value></Tag>";
        S3Fixtures.raw(endpoint).header("Content-MD5", md5(truncated)).body(truncated)
                .put("/" + bucket + "?tagging").then().statusCode(400)
                .body("Error.Code", equalTo("MalformedXML"));
        // External entities are never resolved: a DTD makes the document malformed.
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE t [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<Tagging><TagSet><Tag><Key>a</Key><Value>&x;</Value></Tag></TagSet></Tagging>";
        S3Fixtures.raw(endpoint).header("Content-MD5", md5(xxe)).body(xxe)
                .put("/" + bucket + "?tagging").then().statusCode(400)
                .body("Error.Code", equalTo("MalformedXML"));
        String wrongRoot = "<Tags><TagSet/></Tags>";
        S3Fixtures.raw(endpoint).header("Content-MD5", md5(wrongRoot)).body(wrongRoot)
                .put("/" + bucket + "?tagging").then().statusCode(400)
                .body("Error.Code", equalTo("MalformedXML"));
        // Configuration writes must carry an integrity header.
        String valid = "<Tagging><TagSet><Tag><Key>a</Key><Value>b &amp; c</Value></Tag></TagSet></Tagging>";
        S3Fixtures.raw(endpoint).body(valid).put("/" + bucket + "?tagging").then().statusCode(400)
                .body("Error.Code", equalTo("InvalidRequest"));
        S3Fixtures.raw(endpoint).header("Content-MD5", md5(valid + " ")).body(valid).put("/" + bucket + "?tagging")
                .then().statusCode(400).body("Error.Code", equalTo("BadDigest"));
        assertThrows(S3Exception.class, () -> s3.getBucketTagging(r -> r.bucket(bucket)));

        S3Fixtures.raw(endpoint).header("Content-MD5", md5(valid)).body(valid).put("/" + bucket + "?tagging")
                .then().statusCode(204);
        assertEquals("b & c", s3.getBucketTagging(r -> r.bucket(bucket)).tagSet().get(0).value());

        String newBucket = S3Fixtures.bucketName("xml-new");
        S3Fixtures.raw(endpoint).body("<CreateBucketConfiguration><LocationConstraint>eu-west-1")
                .put("/" + newBucket).then().statusCode(400).body("Error.Code", equalTo("MalformedXML"));
        assertThrows(NoSuchBucketException.class, () -> s3.headBucket(r -> r.bucket(newBucket)));

        String deleteXml = "<Delete><Object><Key>a</Key></Object>";
        S3Fixtures.raw(endpoint).header("Content-MD5", md5(deleteXml)).body(deleteXml).post("/" + bucket + "?delete")
                .then().statusCode(400).body("Error.Code", equalTo("MalformedXML"));
    }

    @Test
    void virtualHostedStyleAddressing() {
        String bucket = S3Fixtures.bucketName("vhost");
        int port = endpoint.uri().getPort();
        // "bucket.localhost" does not resolve on every machine, so the request goes to 127.0.0.1 with the Host header.
        S3Fixtures.raw(endpoint).header("Host", bucket + ".localhost:" + port).put("/").then().statusCode(200);
        S3Fixtures.raw(endpoint).header("Host", bucket + ".localhost:" + port).header("Content-Type", "text/plain")
                .body("virtual").put("/dir/a key.txt".replace(" ", "%20")).then().statusCode(200);
        assertEquals("virtual", s3.getObjectAsBytes(r -> r.bucket(bucket).key("dir/a key.txt")).asUtf8String());

        S3Fixtures.raw(endpoint).header("Host", bucket + ".s3.localhost:" + port).get("/dir/a%20key.txt")
                .then().statusCode(200).body(equalTo("virtual"));
        S3Fixtures.raw(endpoint).header("Host", bucket + ".s3.us-east-1.amazonaws.com").get("/?list-type=2")
                .then().statusCode(200)
                .body("ListBucketResult.Name", equalTo(bucket))
                .body("ListBucketResult.Contents.Key", equalTo("dir/a key.txt"));
        S3Fixtures.raw(endpoint).header("Host", "missing-" + bucket + ".localhost:" + port).head("/")
                .then().statusCode(404).body(emptyString());
    }

    @Test
    void unsupportedOperationsAnswerNotImplemented() {
        String bucket = S3Fixtures.bucketName("ni");
        s3.createBucket(r -> r.bucket(bucket));
        S3Exception acl = assertThrows(S3Exception.class, () -> s3.getBucketAcl(r -> r.bucket(bucket)));
        assertEquals(501, acl.statusCode());
        assertEquals("NotImplemented", acl.awsErrorDetails().errorCode());
        S3Exception versioning = assertThrows(S3Exception.class, () -> s3.putBucketVersioning(r -> r.bucket(bucket)
                .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED))));
        assertEquals(501, versioning.statusCode());
        assertEquals("NotImplemented", versioning.awsErrorDetails().errorCode());
        S3Exception cors = assertThrows(S3Exception.class, () -> s3.getBucketCors(r -> r.bucket(bucket)));
        assertEquals("NotImplemented", cors.awsErrorDetails().errorCode());
    }

    @Test
    void listBucketsByPrefixAndPages() {
        String prefix = S3Fixtures.bucketName("lb");
        for (int i = 0; i < 5; i++) {
            int n = i;
            s3.createBucket(r -> r.bucket(prefix + "-" + n));
        }
        ListBucketsResponse first = s3.listBuckets(r -> r.prefix(prefix).maxBuckets(3));
        assertEquals(List.of(prefix + "-0", prefix + "-1", prefix + "-2"), first.buckets().stream().map(b -> b.name()).toList());
        ListBucketsResponse second = s3.listBuckets(r -> r.prefix(prefix).maxBuckets(3).continuationToken(first.continuationToken()));
        assertEquals(List.of(prefix + "-3", prefix + "-4"), second.buckets().stream().map(b -> b.name()).toList());
        assertNull(second.continuationToken());
    }

    private S3Client regionalClient(Region region) {
        return S3Client.builder().region(region).endpointOverride(endpoint.uri()).forcePathStyle(true)
                .httpClient(ApacheHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
    }

    static String md5(String body) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(body.getBytes(StandardCharsets.UTF_8)));
    }
}
