package dev.clicklog.localaws.firehose;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.clicklog.endpoint.LocalEndpoint;
import dev.clicklog.localaws.fault.FaultInjector;
import dev.clicklog.testing.TestRoles;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.parsing.Parser;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.CompressionFormat;
import software.amazon.awssdk.services.firehose.model.ConcurrentModificationException;
import software.amazon.awssdk.services.firehose.model.CreateDeliveryStreamRequest;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamDescription;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamStatus;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamType;
import software.amazon.awssdk.services.firehose.model.ExtendedS3DestinationConfiguration;
import software.amazon.awssdk.services.firehose.model.ExtendedS3DestinationDescription;
import software.amazon.awssdk.services.firehose.model.InvalidArgumentException;
import software.amazon.awssdk.services.firehose.model.LimitExceededException;
import software.amazon.awssdk.services.firehose.model.ListDeliveryStreamsResponse;
import software.amazon.awssdk.services.firehose.model.ListTagsForDeliveryStreamResponse;
import software.amazon.awssdk.services.firehose.model.ProcessorType;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponse;
import software.amazon.awssdk.services.firehose.model.Record;
import software.amazon.awssdk.services.firehose.model.ResourceInUseException;
import software.amazon.awssdk.services.firehose.model.ResourceNotFoundException;
import software.amazon.awssdk.services.firehose.model.Tag;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * Firehose's control plane and direct puts through the real SDK client: shapes, status
 * transitions, pagination, and the errors AWS answers for bad input (which change nothing).
 */
@QuarkusTest
class FirehoseControlPlaneTest {

    static final String BUCKET = "arn:aws:s3:::clicklog-firehose-tests";
    /** A role Firehose may assume to write the test bucket, made once. */
    static String role;

    @Inject
    FirehoseClient firehose;

    @Inject
    FaultInjector faults;

    @Inject
    LocalEndpoint endpoint;

    @Inject
    IamClient iam;

    @Inject
    KinesisClient kinesis;

    @BeforeEach
    void deliveryRole() {
        if (role == null) {
            role = new TestRoles(iam).create("firehose-delivery", DeliveryAccess.PRINCIPAL,
                    TestRoles.writeObjects("clicklog-firehose-tests", "")).arn();
        }
    }

    @AfterEach
    void clearFaults() {
        faults.clear();
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A DirectPut stream to the test bucket, with whatever the test adds to the destination. */
    CreateDeliveryStreamRequest.Builder directPut(String name, Consumer<ExtendedS3DestinationConfiguration.Builder> s3) {
        ExtendedS3DestinationConfiguration.Builder destination = ExtendedS3DestinationConfiguration.builder()
                .roleARN(role).bucketARN(BUCKET);
        s3.accept(destination);
        return CreateDeliveryStreamRequest.builder().deliveryStreamName(name)
                .deliveryStreamType(DeliveryStreamType.DIRECT_PUT)
                .extendedS3DestinationConfiguration(destination.build());
    }

    DeliveryStreamDescription describe(String name) {
        return firehose.describeDeliveryStream(r -> r.deliveryStreamName(name)).deliveryStreamDescription();
    }

    void awaitActive(String name) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> describe(name).deliveryStreamStatus() == DeliveryStreamStatus.ACTIVE);
    }

    static String errorCode(AwsServiceException e) {
        return e.awsErrorDetails().errorCode();
    }

    static String errorMessage(AwsServiceException e) {
        return e.awsErrorDetails().errorMessage();
    }

    @Test
    void createsCreatingThenActiveAndDescribesTheFullShape() {
        faults.overrideDelay("firehose.delivery-stream-activation", Duration.ofSeconds(1));
        String name = unique("describe");
        Instant before = Instant.now().minusSeconds(1);
        String arn = firehose.createDeliveryStream(directPut(name, s3 -> s3
                .prefix("clicks/")
                .errorOutputPrefix("errors/")
                .bufferingHints(b -> b.sizeInMBs(1).intervalInSeconds(60))
                .compressionFormat(CompressionFormat.GZIP)
                .processingConfiguration(p -> p.enabled(true)
                        .processors(pr -> pr.type(ProcessorType.APPEND_DELIMITER_TO_RECORD))))
                .tags(Tag.builder().key("team").value("web").build())
                .build()).deliveryStreamARN();
        assertEquals("arn:aws:firehose:us-east-1:000000000000:deliverystream/" + name, arn);

        DeliveryStreamDescription d = describe(name);
        assertEquals(DeliveryStreamStatus.CREATING, d.deliveryStreamStatus());
        awaitActive(name);
        d = describe(name);
        assertEquals(name, d.deliveryStreamName());
        assertEquals(arn, d.deliveryStreamARN());
        assertEquals(DeliveryStreamType.DIRECT_PUT, d.deliveryStreamType());
        assertEquals("1", d.versionId());
        assertTrue(d.createTimestamp().isAfter(before) && d.createTimestamp().isBefore(Instant.now().plusSeconds(1)));
        assertEquals("DISABLED", d.deliveryStreamEncryptionConfiguration().statusAsString());
        assertFalse(d.hasMoreDestinations());
        assertEquals(1, d.destinations().size());
        assertEquals("destinationId-000000000001", d.destinations().get(0).destinationId());
        ExtendedS3DestinationDescription s3 = d.destinations().get(0).extendedS3DestinationDescription();
        assertEquals(role, s3.roleARN());
        assertEquals(BUCKET, s3.bucketARN());
        assertEquals("clicks/", s3.prefix());
        assertEquals("errors/", s3.errorOutputPrefix());
        assertEquals(1, s3.bufferingHints().sizeInMBs());
        assertEquals(60, s3.bufferingHints().intervalInSeconds());
        assertEquals(CompressionFormat.GZIP, s3.compressionFormat());
        assertEquals("NoEncryption", s3.encryptionConfiguration().noEncryptionConfigAsString());
        assertEquals(ProcessorType.APPEND_DELIMITER_TO_RECORD, s3.processingConfiguration().processors().get(0).type());
        assertEquals("Disabled", s3.s3BackupModeAsString());
        assertFalse(s3.cloudWatchLoggingOptions().enabled());
        assertEquals(BUCKET, d.destinations().get(0).s3DestinationDescription().bucketARN());
    }

    @Test
    void defaultsAreFirehoses() {
        String name = unique("defaults");
        firehose.createDeliveryStream(directPut(name, s3 -> { }).build());
        ExtendedS3DestinationDescription s3 = describe(name).destinations().get(0).extendedS3DestinationDescription();
        assertEquals(5, s3.bufferingHints().sizeInMBs());
        assertEquals(300, s3.bufferingHints().intervalInSeconds());
        assertEquals(CompressionFormat.UNCOMPRESSED, s3.compressionFormat());
        assertNull(s3.prefix());
        assertEquals(DeliveryStreamType.DIRECT_PUT,
                firehose.describeDeliveryStream(r -> r.deliveryStreamName(name)).deliveryStreamDescription()
                        .deliveryStreamType());
    }

    @Test
    void theDeprecatedS3DestinationConfigurationIsAccepted() {
        String name = unique("plain-s3");
        firehose.createDeliveryStream(r -> r.deliveryStreamName(name)
                .s3DestinationConfiguration(s3 -> s3.roleARN(role).bucketARN(BUCKET).prefix("plain/")));
        DeliveryStreamDescription d = describe(name);
        assertEquals("plain/", d.destinations().get(0).s3DestinationDescription().prefix());
        assertEquals("plain/", d.destinations().get(0).extendedS3DestinationDescription().prefix());
    }

    @Test
    void aDuplicateNameIsResourceInUse() {
        String name = unique("dup");
        firehose.createDeliveryStream(directPut(name, s3 -> { }).build());
        ResourceInUseException e = assertThrows(ResourceInUseException.class,
                () -> firehose.createDeliveryStream(directPut(name, s3 -> s3.prefix("other/")).build()));
        assertTrue(errorMessage(e).contains(name), errorMessage(e));
        assertNull(describe(name).destinations().get(0).extendedS3DestinationDescription().prefix(),
                "the rejected request changed nothing");
    }

    @Test
    void namesFollowTheModel() {
        AwsServiceException pattern = assertThrows(AwsServiceException.class,
                () -> firehose.createDeliveryStream(directPut("bad name!", s3 -> { }).build()));
        assertEquals("ValidationException", errorCode(pattern));
        assertEquals("1 validation error detected: Value 'bad name!' at 'deliveryStreamName' failed to satisfy "
                + "constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+", errorMessage(pattern));

        AwsServiceException length = assertThrows(AwsServiceException.class,
                () -> firehose.createDeliveryStream(directPut("x".repeat(65), s3 -> { }).build()));
        assertTrue(errorMessage(length).contains("Member must have length less than or equal to 64"), errorMessage(length));
        firehose.createDeliveryStream(directPut(unique("n").replace('-', '_') + "." + "y".repeat(50), s3 -> { }).build());
    }

    @Test
    void bufferingHintsAreValidatedAsTheModelSays() {
        String name = unique("hints");
        AwsServiceException tooSmall = assertThrows(AwsServiceException.class, () -> firehose.createDeliveryStream(
                directPut(name, s3 -> s3.bufferingHints(b -> b.sizeInMBs(0).intervalInSeconds(901))).build()));
        assertEquals("ValidationException", errorCode(tooSmall));
        assertTrue(errorMessage(tooSmall).startsWith("2 validation errors detected: "), errorMessage(tooSmall));
        assertTrue(errorMessage(tooSmall).contains("Value '0' at 'extendedS3DestinationConfiguration.bufferingHints"
                + ".sizeInMBs' failed to satisfy constraint: Member must have value greater than or equal to 1"));
        assertTrue(errorMessage(tooSmall).contains("Value '901' at 'extendedS3DestinationConfiguration.bufferingHints"
                + ".intervalInSeconds' failed to satisfy constraint: Member must have value less than or equal to 900"));

        AwsServiceException tooBig = assertThrows(AwsServiceException.class, () -> firehose.createDeliveryStream(
                directPut(name, s3 -> s3.bufferingHints(b -> b.sizeInMBs(129).intervalInSeconds(-1))).build()));
        assertTrue(errorMessage(tooBig).contains("less than or equal to 128"), errorMessage(tooBig));
        assertTrue(errorMessage(tooBig).contains("greater than or equal to 0"), errorMessage(tooBig));

        InvalidArgumentException half = assertThrows(InvalidArgumentException.class, () -> firehose.createDeliveryStream(
                directPut(name, s3 -> s3.bufferingHints(b -> b.sizeInMBs(3))).build()));
        assertTrue(errorMessage(half).contains("IntervalInSeconds"), errorMessage(half));
        assertThrows(ResourceNotFoundException.class, () -> describe(name), "nothing was created");

        firehose.createDeliveryStream(directPut(name, s3 -> s3.bufferingHints(b -> b.sizeInMBs(128).intervalInSeconds(0))).build());
        assertEquals(0, describe(name).destinations().get(0).extendedS3DestinationDescription().bufferingHints()
                .intervalInSeconds());
    }

    @Test
    void prefixExpressionsFollowFirehosesRules() {
        String name = unique("prefix");
        InvalidArgumentException noErrorPrefix = assertThrows(InvalidArgumentException.class,
                () -> firehose.createDeliveryStream(directPut(name, s3 -> s3.prefix("y=!{timestamp:yyyy}/")).build()));
        assertEquals("Ths supplied prefix(es) do not satisfy the following constraint: ErrorOutputPrefix cannot be "
                + "null or empty when Prefix contains expressions", errorMessage(noErrorPrefix));

        assertPrefixRejected(name, "a/!{firehose:error-output-type}/", "e/!{firehose:error-output-type}/",
                "Prefix cannot contain");
        assertPrefixRejected(name, "a/!{timestamp:yyyy}/", "e/!{timestamp:yyyy}/", "must contain !{firehose:error-output-type}");
        assertPrefixRejected(name, "a/!{timestamp:yyyy/", "e/!{firehose:error-output-type}/", "not closed");
        assertPrefixRejected(name, "a/!{timestamp:bbbb}/", "e/!{firehose:error-output-type}/", "DateTimeFormatter");
        assertPrefixRejected(name, "a/!{moon:phase}/", "e/!{firehose:error-output-type}/", "unknown namespace");
        assertPrefixRejected(name, "a/!{firehose:uuid}/", "e/!{firehose:error-output-type}/", "random-string");
        assertPrefixRejected(name, "a/!{timestamp:!{timestamp:yyyy}}/", "e/!{firehose:error-output-type}/", "nested");
        assertThrows(ResourceNotFoundException.class, () -> describe(name));

        firehose.createDeliveryStream(directPut(name, s3 -> s3
                .prefix("clicks/!{firehose:random-string}/dt=!{timestamp:yyyy-MM-dd}/h=!{timestamp:HH}/")
                .errorOutputPrefix("errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/")).build());
        assertEquals(DeliveryStreamType.DIRECT_PUT, describe(name).deliveryStreamType());
    }

    void assertPrefixRejected(String name, String prefix, String errorPrefix, String expected) {
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> firehose.createDeliveryStream(
                directPut(name, s3 -> s3.prefix(prefix).errorOutputPrefix(errorPrefix)).build()));
        assertTrue(errorMessage(e).contains(expected), prefix + " → " + errorMessage(e));
    }

    @Test
    void rolesFirehoseCannotAssumeAreRefused() {
        String name = unique("roles");
        String missing = "arn:aws:iam::000000000000:role/no-such-role-" + UUID.randomUUID();
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                () -> firehose.createDeliveryStream(r -> r.deliveryStreamName(name)
                        .extendedS3DestinationConfiguration(s3 -> s3.roleARN(missing).bucketARN(BUCKET))));
        assertEquals("Firehose is unable to assume role " + missing + ". Please check the role provided.", errorMessage(e));

        String untrusted = new TestRoles(iam).create("trusts-apigateway", "apigateway.amazonaws.com",
                TestRoles.writeObjects("clicklog-firehose-tests", "")).arn();
        e = assertThrows(InvalidArgumentException.class, () -> firehose.createDeliveryStream(
                directPut(name, s3 -> s3.roleARN(untrusted)).build()));
        assertEquals("Firehose is unable to assume role " + untrusted + ". Please check the role provided.", errorMessage(e));
        assertThrows(ResourceNotFoundException.class, () -> describe(name), "nothing is created");

        // The same for the role that reads a Kinesis source.
        String stream = "roles-" + UUID.randomUUID().toString().substring(0, 8);
        kinesis.createStream(b -> b.streamName(stream).shardCount(1));
        String streamArn = "arn:aws:kinesis:us-east-1:000000000000:stream/" + stream;
        e = assertThrows(InvalidArgumentException.class, () -> firehose.createDeliveryStream(r -> r.deliveryStreamName(name)
                .deliveryStreamType(DeliveryStreamType.KINESIS_STREAM_AS_SOURCE)
                .kinesisStreamSourceConfiguration(k -> k.kinesisStreamARN(streamArn).roleARN(untrusted))
                .extendedS3DestinationConfiguration(s3 -> s3.roleARN(role).bucketARN(BUCKET))));
        assertEquals("Firehose is unable to assume role " + untrusted + ". Please check the role provided.", errorMessage(e));
        assertThrows(ResourceNotFoundException.class, () -> describe(name));
    }

    @Test
    void arnsMustBeWellFormed() {
        AwsServiceException bucket = assertThrows(AwsServiceException.class, () -> firehose.createDeliveryStream(
                r -> r.deliveryStreamName(unique("arn"))
                        .extendedS3DestinationConfiguration(s3 -> s3.roleARN(role).bucketARN("clicklog-bucket"))));
        assertEquals("ValidationException", errorCode(bucket));
        assertTrue(errorMessage(bucket).contains("'extendedS3DestinationConfiguration.bucketARN'"), errorMessage(bucket));

        AwsServiceException role = assertThrows(AwsServiceException.class, () -> firehose.createDeliveryStream(
                r -> r.deliveryStreamName(unique("arn"))
                        .extendedS3DestinationConfiguration(s3 -> s3.roleARN("arn:aws:iam::123:role/x").bucketARN(BUCKET))));
        assertTrue(errorMessage(role).contains("'extendedS3DestinationConfiguration.roleARN'"), errorMessage(role));

        AwsServiceException missing = assertThrows(AwsServiceException.class, () -> firehose.createDeliveryStream(
                r -> r.deliveryStreamName(unique("arn")).extendedS3DestinationConfiguration(s3 -> s3.bucketARN(BUCKET))));
        assertTrue(errorMessage(missing).contains("Value null at 'extendedS3DestinationConfiguration.roleARN' failed to "
                + "satisfy constraint: Member must not be null"), errorMessage(missing));
    }

    @Test
    void whatLocalawsDoesNotImplementIsRefusedNotIgnored() {
        String name = unique("unsupported");
        InvalidArgumentException zip = assertThrows(InvalidArgumentException.class, () -> firehose.createDeliveryStream(
                directPut(name, s3 -> s3.compressionFormat(CompressionFormat.ZIP)).build()));
        assertTrue(errorMessage(zip).contains("CompressionFormat ZIP is not supported"), errorMessage(zip));
        InvalidArgumentException lambda = assertThrows(InvalidArgumentException.class, () -> firehose.createDeliveryStream(
                directPut(name, s3 -> s3.processingConfiguration(p -> p.enabled(true).processors(pr -> pr
                        .type(ProcessorType.LAMBDA)
                        .parameters(pp -> pp.parameterName("LambdaArn").parameterValue("arn:aws:lambda:x"))))).build()));
        assertTrue(errorMessage(lambda).contains("Processor type Lambda"), errorMessage(lambda));
        InvalidArgumentException redshift = assertThrows(InvalidArgumentException.class,
                () -> firehose.createDeliveryStream(r -> r.deliveryStreamName(name)
                        .redshiftDestinationConfiguration(rs -> rs.roleARN(role).clusterJDBCURL("jdbc:redshift://x:5439/db")
                                .username("u").password("password1").copyCommand(c -> c.dataTableName("t"))
                                .s3Configuration(s3 -> s3.roleARN(role).bucketARN(BUCKET)))));
        assertTrue(errorMessage(redshift).contains("RedshiftDestinationConfiguration"), errorMessage(redshift));
        InvalidArgumentException none = assertThrows(InvalidArgumentException.class,
                () -> firehose.createDeliveryStream(r -> r.deliveryStreamName(name)));
        assertTrue(errorMessage(none).contains("destination"), errorMessage(none));
        assertThrows(ResourceNotFoundException.class, () -> describe(name));
    }

    @Test
    void listsAlphabeticallyWithPaginationAndTypeFilter() {
        String base = unique("lst");
        for (String suffix : List.of("c", "a", "b")) {
            firehose.createDeliveryStream(directPut(base + "-" + suffix, s3 -> { }).build());
        }
        ListDeliveryStreamsResponse first = firehose.listDeliveryStreams(r -> r.limit(2).exclusiveStartDeliveryStreamName(base));
        assertEquals(List.of(base + "-a", base + "-b"), first.deliveryStreamNames());
        assertTrue(first.hasMoreDeliveryStreams());
        ListDeliveryStreamsResponse next = firehose.listDeliveryStreams(
                r -> r.limit(2).exclusiveStartDeliveryStreamName(base + "-b"));
        assertEquals(base + "-c", next.deliveryStreamNames().get(0));

        List<String> direct = new ArrayList<>();
        String start = null;
        ListDeliveryStreamsResponse page;
        do {
            String from = start;
            page = firehose.listDeliveryStreams(r -> r.deliveryStreamType(DeliveryStreamType.DIRECT_PUT)
                    .exclusiveStartDeliveryStreamName(from));
            direct.addAll(page.deliveryStreamNames());
            start = page.deliveryStreamNames().isEmpty() ? null : page.deliveryStreamNames().get(page.deliveryStreamNames().size() - 1);
            assertTrue(page.deliveryStreamNames().size() <= 10, "the default limit is 10");
        } while (page.hasMoreDeliveryStreams());
        assertTrue(direct.containsAll(List.of(base + "-a", base + "-b", base + "-c")));
        assertFalse(firehose.listDeliveryStreams(r -> r.deliveryStreamType(DeliveryStreamType.KINESIS_STREAM_AS_SOURCE)
                .exclusiveStartDeliveryStreamName(base).limit(10000)).deliveryStreamNames().contains(base + "-a"));
    }

    @Test
    void deletingGoesThroughDeletingThenTheStreamIsGone() {
        faults.overrideDelay("firehose.delivery-stream-activation", Duration.ofSeconds(30));
        String name = unique("del");
        firehose.createDeliveryStream(directPut(name, s3 -> { }).build());
        ResourceInUseException creating = assertThrows(ResourceInUseException.class,
                () -> firehose.deleteDeliveryStream(r -> r.deliveryStreamName(name)));
        assertTrue(errorMessage(creating).contains("CREATING"), errorMessage(creating));

        String other = unique("del");
        faults.overrideDelay("firehose.delivery-stream-activation", Duration.ZERO);
        faults.overrideDelay("firehose.delivery-stream-deletion", Duration.ofSeconds(1));
        firehose.createDeliveryStream(directPut(other, s3 -> { }).build());
        awaitActive(other);
        firehose.deleteDeliveryStream(r -> r.deliveryStreamName(other));
        assertEquals(DeliveryStreamStatus.DELETING, describe(other).deliveryStreamStatus());
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            try {
                describe(other);
                return false;
            } catch (ResourceNotFoundException e) {
                return errorMessage(e).equals("Firehose " + other + " under account 000000000000 not found.");
            }
        });
        assertFalse(firehose.listDeliveryStreams(r -> r.exclusiveStartDeliveryStreamName("del").limit(10000))
                .deliveryStreamNames().contains(other));
        assertThrows(ResourceNotFoundException.class, () -> firehose.deleteDeliveryStream(r -> r.deliveryStreamName(other)));
    }

    @Test
    void tagsAreAddedReplacedListedInPagesAndRemoved() {
        String name = unique("tags");
        firehose.createDeliveryStream(directPut(name, s3 -> { })
                .tags(Tag.builder().key("team").value("web").build(), Tag.builder().key("env").value("dev").build()).build());
        firehose.tagDeliveryStream(r -> r.deliveryStreamName(name)
                .tags(Tag.builder().key("team").value("mobile").build(), Tag.builder().key("cost").value("42").build()));
        ListTagsForDeliveryStreamResponse all = firehose.listTagsForDeliveryStream(r -> r.deliveryStreamName(name));
        assertEquals(List.of("cost=42", "env=dev", "team=mobile"),
                all.tags().stream().map(t -> t.key() + "=" + t.value()).toList());
        assertFalse(all.hasMoreTags());

        ListTagsForDeliveryStreamResponse page = firehose.listTagsForDeliveryStream(
                r -> r.deliveryStreamName(name).limit(1).exclusiveStartTagKey("cost"));
        assertEquals("env", page.tags().get(0).key());
        assertTrue(page.hasMoreTags());

        firehose.untagDeliveryStream(r -> r.deliveryStreamName(name).tagKeys("env", "absent"));
        assertEquals(List.of("cost", "team"), firehose.listTagsForDeliveryStream(r -> r.deliveryStreamName(name))
                .tags().stream().map(Tag::key).toList());

        List<Tag> many = new ArrayList<>();
        for (int i = 0; i < 49; i++) {
            many.add(Tag.builder().key("k" + i).value("v").build());
        }
        assertThrows(LimitExceededException.class,
                () -> firehose.tagDeliveryStream(r -> r.deliveryStreamName(name).tags(many)));
        assertEquals(2, firehose.listTagsForDeliveryStream(r -> r.deliveryStreamName(name)).tags().size());

        AwsServiceException reserved = assertThrows(AwsServiceException.class, () -> firehose.tagDeliveryStream(
                r -> r.deliveryStreamName(name).tags(Tag.builder().key("aws:owner").value("x").build())));
        assertEquals("ValidationException", errorCode(reserved));
        assertThrows(ResourceNotFoundException.class,
                () -> firehose.listTagsForDeliveryStream(r -> r.deliveryStreamName(unique("absent"))));
    }

    @Test
    void directPutsAnswerRecordIdsAndEnforceTheLimits() {
        String name = unique("put");
        firehose.createDeliveryStream(directPut(name, s3 -> { }).build());
        awaitActive(name);
        String id = firehose.putRecord(r -> r.deliveryStreamName(name)
                .record(Record.builder().data(SdkBytes.fromUtf8String("{\"click\":1}")).build())).recordId();
        assertNotNull(id);

        List<Record> records = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            records.add(Record.builder().data(SdkBytes.fromUtf8String("r" + i)).build());
        }
        PutRecordBatchResponse batch = firehose.putRecordBatch(r -> r.deliveryStreamName(name).records(records));
        assertEquals(0, batch.failedPutCount());
        assertEquals(3, batch.requestResponses().size());
        assertEquals(3, batch.requestResponses().stream().map(e -> e.recordId()).distinct().count());

        List<Record> tooMany = new ArrayList<>();
        for (int i = 0; i < 501; i++) {
            tooMany.add(Record.builder().data(SdkBytes.fromUtf8String("x")).build());
        }
        AwsServiceException count = assertThrows(AwsServiceException.class,
                () -> firehose.putRecordBatch(r -> r.deliveryStreamName(name).records(tooMany)));
        assertTrue(errorMessage(count).contains("at 'records' failed to satisfy constraint: Member must have length "
                + "less than or equal to 500"), errorMessage(count));

        AwsServiceException big = assertThrows(AwsServiceException.class, () -> firehose.putRecord(r -> r
                .deliveryStreamName(name).record(Record.builder().data(SdkBytes.fromByteArray(new byte[1_024_001])).build())));
        assertEquals("ValidationException", errorCode(big));
        assertTrue(errorMessage(big).contains("'record.data'"), errorMessage(big));

        List<Record> heavy = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            heavy.add(Record.builder().data(SdkBytes.fromByteArray(new byte[1_000_000])).build());
        }
        InvalidArgumentException total = assertThrows(InvalidArgumentException.class,
                () -> firehose.putRecordBatch(r -> r.deliveryStreamName(name).records(heavy)));
        assertTrue(errorMessage(total).contains("Records size exceeds"), errorMessage(total));

        ResourceNotFoundException absent = assertThrows(ResourceNotFoundException.class, () -> firehose.putRecord(r -> r
                .deliveryStreamName(unique("absent")).record(Record.builder().data(SdkBytes.fromUtf8String("x")).build())));
        assertTrue(errorMessage(absent).endsWith("under account 000000000000 not found."), errorMessage(absent));
    }

    @Test
    void updateDestinationMergesUnderTheNextVersion() {
        String name = unique("update");
        firehose.createDeliveryStream(directPut(name, s3 -> s3.prefix("v1/")
                .bufferingHints(b -> b.sizeInMBs(2).intervalInSeconds(120))).build());
        awaitActive(name);
        assertThrows(ConcurrentModificationException.class, () -> firehose.updateDestination(r -> r
                .deliveryStreamName(name).currentDeliveryStreamVersionId("7").destinationId("destinationId-000000000001")
                .extendedS3DestinationUpdate(u -> u.prefix("v2/"))));
        firehose.updateDestination(r -> r.deliveryStreamName(name).currentDeliveryStreamVersionId("1")
                .destinationId("destinationId-000000000001").extendedS3DestinationUpdate(u -> u.prefix("v2/")));
        DeliveryStreamDescription d = describe(name);
        assertEquals("2", d.versionId());
        assertNotNull(d.lastUpdateTimestamp());
        ExtendedS3DestinationDescription s3 = d.destinations().get(0).extendedS3DestinationDescription();
        assertEquals("v2/", s3.prefix());
        assertEquals(2, s3.bufferingHints().sizeInMBs(), "members not given are kept");

        assertThrows(InvalidArgumentException.class, () -> firehose.updateDestination(r -> r.deliveryStreamName(name)
                .currentDeliveryStreamVersionId("2").destinationId("destinationId-000000000001")
                .extendedS3DestinationUpdate(u -> u.prefix("!{timestamp:yyyy}/"))));
        assertEquals("2", describe(name).versionId(), "a rejected update changes nothing");
    }

    @Test
    void anUnimplementedOperationIsUnknownOperation() {
        given().baseUri(endpoint.uri().toString())
                .header("X-Amz-Target", "Firehose_20150804.StartDeliveryStreamEncryption")
                .contentType("application/x-amz-json-1.1")
                .body("{\"DeliveryStreamName\":\"x\"}".getBytes(StandardCharsets.UTF_8))
                .post("/")
                .then().statusCode(400)
                .using().defaultParser(Parser.JSON)
                .body("__type", equalTo("UnknownOperationException"));
    }
}
