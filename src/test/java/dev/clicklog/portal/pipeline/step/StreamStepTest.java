package dev.clicklog.portal.pipeline.step;

import dev.clicklog.portal.pipeline.Compression;
import dev.clicklog.portal.pipeline.PipelineResources;
import dev.clicklog.portal.pipeline.PipelineSpec;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.clicklog.portal.adapter.Arns;
import dev.clicklog.portal.adapter.AwsException;
import dev.clicklog.portal.adapter.ResourceNames;
import dev.clicklog.portal.adapter.ResourceTags;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.EncryptionType;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.StreamDescriptionSummary;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/** The stream step against the local Kinesis: observe, create, wait for ACTIVE, converge, delete. */
@QuarkusTest
class StreamStepTest {

    @Inject
    StreamStep step;

    @Inject
    KinesisClient kinesis;

    @Inject
    Arns arns;

    @Test
    void createsTheStreamAsSpecifiedThenDeletesIt() {
        StepContext c = context(new PipelineSpec(unique(), "team-a", null, 2, false, 48, 5, 60, Compression.NONE,
                "clicks/", List.of("*"), false, null, null, null));
        String name = c.names().stream();

        StepResult first = step.apply(c);
        assertInstanceOf(StepResult.Wait.class, first, "a new stream is CREATING first");
        assertEquals(name, first.found().streamName());

        StepResult.Done done = untilDone(() -> step.apply(c));
        assertEquals(arns.stream(name), done.found().streamArn());
        StreamDescriptionSummary s = kinesis.describeStreamSummary(r -> r.streamName(name)).streamDescriptionSummary();
        assertEquals(StreamStatus.ACTIVE, s.streamStatus());
        assertEquals(2, s.openShardCount());
        assertEquals(48, s.retentionPeriodHours());
        assertEquals(EncryptionType.KMS, s.encryptionType());
        assertEquals("alias/aws/kinesis", s.keyId());
        Map<String, String> tags = kinesis.listTagsForStream(r -> r.streamName(name)).tags().stream()
                .collect(Collectors.toMap(t -> t.key(), t -> t.value()));
        assertEquals(Map.of("clicklog:pipeline", c.spec().name(), "clicklog:team", "team-a", "clicklog:pipeline-id",
                c.owner().pipelineId(), "managed-by", "clicklog-portal"), tags);

        assertInstanceOf(StepResult.Done.class, step.apply(c), "applying again changes nothing");

        untilDone(() -> step.remove(c));
        assertTrue(isGone(name));
        assertInstanceOf(StepResult.Done.class, step.remove(c), "removing a missing stream is done");
    }

    @Test
    void onDemandStreamsHaveNoShardCount() {
        StepContext c = context(new PipelineSpec(unique(), "team-a", null, null, true, 24, 5, 60, Compression.NONE,
                "clicks/", List.of("*"), false, null, null, null));
        untilDone(() -> step.apply(c));
        StreamDescriptionSummary s = kinesis.describeStreamSummary(r -> r.streamName(c.names().stream()))
                .streamDescriptionSummary();
        assertEquals("ON_DEMAND", s.streamModeDetails().streamModeAsString());
        untilDone(() -> step.remove(c));
    }

    /** The stream must be encrypted with the AWS-managed key: another key is replaced, the managed key's alias ARN is the same key. */
    @Test
    void encryptionWithAnotherKeyIsReplacedByTheManagedKey() {
        StepContext c = context(new PipelineSpec(unique(), "team-a", null, 1, false, 24, 5, 60, Compression.NONE,
                "clicks/", List.of("*"), false, null, null, null));
        String name = c.names().stream();
        untilDone(() -> step.apply(c));

        String otherKey = "arn:aws:kms:us-east-1:" + arns.account() + ":key/1234abcd-12ab-34cd-56ef-1234567890ab";
        kinesis.startStreamEncryption(r -> r.streamName(name).encryptionType(EncryptionType.KMS).keyId(otherKey));
        awaitActive(name);
        StepContext check = new StepContext(c.spec(), c.names(), c.resources(), c.owner());
        StepResult.Wait reencrypting = assertInstanceOf(StepResult.Wait.class, step.apply(check));
        assertEquals("stream " + name + " is being encrypted with alias/aws/kinesis", reencrypting.why());
        assertEquals(List.of("encrypted stream " + name + " with alias/aws/kinesis instead of " + otherKey),
                check.changes().list());
        untilDone(() -> step.apply(c));
        assertEquals("alias/aws/kinesis", keyId(name));

        // The same managed key, named by its alias ARN: nothing to change
        String aliasArn = "arn:aws:kms:us-east-1:" + arns.account() + ":alias/aws/kinesis";
        kinesis.startStreamEncryption(r -> r.streamName(name).encryptionType(EncryptionType.KMS).keyId(aliasArn));
        awaitActive(name);
        StepContext again = new StepContext(c.spec(), c.names(), c.resources(), c.owner());
        assertInstanceOf(StepResult.Done.class, step.apply(again));
        assertTrue(again.changes().none(), again.changes().list().toString());
        assertEquals(aliasArn, keyId(name));

        untilDone(() -> step.remove(c));
    }

    /**
     * An endpoint that drops the tags of a CreateStream (moto): the stream the step's own create made
     * is the pipeline's, and gets its tags once ACTIVE; an untagged stream the step did not create
     * stays foreign, left as it was. A create the endpoint refuses does not count as the step's.
     */
    @Test
    void aStreamItsOwnCreateMadeIsTaggedAndOneItDidNotMakeIsLeftAlone() {
        StepContext made = created(context(new PipelineSpec(unique(), "team-a", null, 1, false, 24, 5, 60,
                Compression.NONE, "clicks/", List.of("*"), false, null, null, null)), true);
        String name = made.names().stream();
        kinesis.createStream(r -> r.streamName(name).shardCount(1));
        awaitActive(name);

        untilDone(() -> step.apply(made));
        assertEquals(made.tags(), tags(name));
        assertTrue(made.changes().list().contains("tagged stream " + name), made.changes().list().toString());
        assertTrue(made.changes().tagged(), "from now on its tags say whose it is");

        StepContext other = created(context(new PipelineSpec(unique(), "team-a", null, 1, false, 24, 5, 60,
                Compression.NONE, "clicks/", List.of("*"), false, null, null, null)), false);
        String foreign = other.names().stream();
        kinesis.createStream(r -> r.streamName(foreign).shardCount(1));
        awaitActive(foreign);
        AwsException refused = assertThrows(AwsException.class, () -> step.apply(other));
        assertEquals("ResourceNotOwned", refused.failure().code());
        assertEquals(Map.of(), tags(foreign), "the foreign stream is left untagged");
        assertInstanceOf(StepResult.Done.class, step.remove(other));
        awaitActive(foreign);

        Changes refusedCreate = new Changes();
        assertThrows(IllegalStateException.class, () -> refusedCreate.create("stream " + foreign, () -> {
            throw new IllegalStateException("ResourceInUseException");
        }));
        assertFalse(refusedCreate.created());

        untilDone(() -> step.remove(made));
        kinesis.deleteStream(r -> r.streamName(foreign));
    }

    private static StepContext created(StepContext c, boolean created) {
        return new StepContext(c.spec(), c.names(), c.resources(), new Changes(), c.owner(), true, false, false, null,
                created);
    }

    private Map<String, String> tags(String stream) {
        return kinesis.listTagsForStream(r -> r.streamName(stream)).tags().stream()
                .collect(Collectors.toMap(t -> t.key(), t -> t.value()));
    }

    private String keyId(String stream) {
        return kinesis.describeStreamSummary(r -> r.streamName(stream)).streamDescriptionSummary().keyId();
    }

    private void awaitActive(String stream) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> kinesis
                .describeStreamSummary(r -> r.streamName(stream)).streamDescriptionSummary().streamStatus()
                == StreamStatus.ACTIVE);
    }

    private StepContext context(PipelineSpec spec) {
        return new StepContext(spec, ResourceNames.of(spec.name(), arns.account(), Optional.empty()),
                PipelineResources.NONE, owner(spec));
    }

    private boolean isGone(String name) {
        try {
            kinesis.describeStreamSummary(r -> r.streamName(name));
            return false;
        } catch (ResourceNotFoundException e) {
            return true;
        }
    }

    static StepResult.Done untilDone(Supplier<StepResult> run) {
        AtomicReference<StepResult> last = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
            StepResult r = run.get();
            last.set(r);
            if (r instanceof StepResult.Failed f) {
                throw new AssertionError("step failed: " + f.failure());
            }
            return r instanceof StepResult.Done;
        });
        return (StepResult.Done) last.get();
    }

    static String unique() {
        return "step-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The owner of a new pipeline of this spec: its resources carry a fresh id. */
    static ResourceTags.Owner owner(PipelineSpec spec) {
        return new ResourceTags.Owner(spec.name(), spec.team(), UUID.randomUUID().toString(), false);
    }
}
