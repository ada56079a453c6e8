package dev.clicklog.portal.pipeline.step;

import dev.clicklog.portal.pipeline.PipelineResources;
import dev.clicklog.portal.pipeline.PipelineSpec;
import dev.clicklog.portal.pipeline.StepKind;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.clicklog.portal.adapter.Arns;
import dev.clicklog.portal.adapter.AwsFailure;
import dev.clicklog.portal.adapter.DeliveryStreamAdapter;
import dev.clicklog.portal.adapter.DeliveryStreamAdapter.DeliveryStream;
import dev.clicklog.portal.adapter.DeliveryStreamAdapter.S3Destination;
import dev.clicklog.portal.adapter.ReadBack;
import dev.clicklog.portal.adapter.ResourceNames;
import dev.clicklog.portal.adapter.ResourceTags;

/**
 * The Firehose delivery stream from the Kinesis stream to S3, with Hive-style date partitions
 * (ready for Athena), a newline after every record, and failed records under the error prefix.
 * Buffering and compression change in place (UpdateDestination, against the current version id);
 * objects written afterwards carry the next version in their names.
 *
 * <p>In teardown it goes only once it has delivered everything the stream holds ({@link Drain}):
 * the ingest API is closed first, so nothing more comes in.
 */
@ApplicationScoped
class DeliveryStreamStep implements ProvisioningStep {

    /** Hive-style partitions: year=2026/month=05/day=20/. */
    static final String PARTITIONS = "year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/";
    /** Firehose requires the error prefix to name the error type when the prefix has expressions. */
    static final String ERROR_PARTITIONS = "!{firehose:error-output-type}/" + PARTITIONS;

    private final DeliveryStreamAdapter deliveryStreams;
    private final Arns arns;
    private final Drain drain;

    DeliveryStreamStep(DeliveryStreamAdapter deliveryStreams, Arns arns, Drain drain) {
        this.deliveryStreams = deliveryStreams;
        this.arns = arns;
        this.drain = drain;
    }

    @Override
    public StepKind kind() {
        return StepKind.DELIVERY_STREAM;
    }

    @Override
    public StepResult apply(StepContext c) {
        ResourceNames n = c.names();
        String name = n.deliveryStream();
        String sourceArn = arns.stream(n.stream());
        String roleArn = arns.role(n.deliveryRole());
        PipelineSpec spec = c.spec();
        S3Destination wanted = new S3Destination(roleArn, arns.bucket(n.bucket()),
                n.dataPrefix(spec.s3Prefix()) + PARTITIONS, n.errorPrefix(spec.s3Prefix()) + ERROR_PARTITIONS,
                spec.bufferSizeMb(), spec.bufferIntervalSeconds(), spec.compression().firehoseFormat(), true);
        Changes changes = c.changes();
        DeliveryStream d = observe(c);
        if (d == null) {
            changes.create("delivery stream " + name,
                    () -> deliveryStreams.create(name, sourceArn, roleArn, wanted, c.tags()));
            return wait("delivery stream " + name + " is being created", name, null);
        }
        if (d.failed()) {
            // A delivery stream that failed to create cannot be repaired, only replaced.
            if ("CREATING_FAILED".equals(d.status())) {
                deliveryStreams.delete(name);
                changes.changed("deleted delivery stream " + name + ", which had failed to create, to create it again");
            }
            return new StepResult.Failed(new AwsFailure(AwsFailure.Kind.RETRYABLE, d.status(),
                    d.failure() == null ? "delivery stream " + name + " is " + d.status() : d.failure()),
                    PipelineResources.NONE.withDeliveryStream(name, d.arn()));
        }
        if (!d.active()) {
            return wait("delivery stream " + name + " is " + d.status(), name, d.arn());
        }
        if (!ReadBack.agrees(sourceArn, d.sourceStreamArn()) || !ReadBack.agrees(roleArn, d.sourceRoleArn())) {
            // The source of a delivery stream cannot be changed: replace it.
            deliveryStreams.delete(name);
            changes.changed("deleted delivery stream " + name + ", which read another source, to create it again");
            return wait("delivery stream " + name + " reads another source and is being replaced", name, d.arn());
        }
        if (!ReadBack.agrees(wanted, d.destination())) {
            List<String> differences = differences(d.destination(), wanted);
            deliveryStreams.updateDestination(d, wanted);
            // In a check the spec did not change: the destination drifted, and is put back.
            changes.changed((c.checking() ? "restored" : "changed") + " the S3 destination of delivery stream " + name
                    + " (version " + d.versionId() + "): " + String.join(", ", differences));
        }
        if (!ResourceTags.includes(deliveryStreams.tags(name), c.tags())) {
            deliveryStreams.tag(name, c.tags());
            changes.changed("tagged delivery stream " + name);
        }
        return new StepResult.Done("delivery stream " + name + " is ACTIVE",
                PipelineResources.NONE.withDeliveryStream(name, d.arn()));
    }

    /** The delivery stream, if there is one; one that is not the pipeline's stops the step. */
    private DeliveryStream observe(StepContext c) {
        String name = c.names().deliveryStream();
        DeliveryStream d = deliveryStreams.describe(name).orElse(null);
        if (d != null && !c.owner().owns(deliveryStreams.tags(name))) {
            throw c.owner().notOwned("Firehose delivery stream " + name);
        }
        return d;
    }

    /** How the destination differs from the wanted one, as "field old → new"; what the endpoint does not report is no difference. */
    static List<String> differences(S3Destination current, S3Destination wanted) {
        List<String> out = new ArrayList<>();
        differ(out, "buffer size (MB)", current.bufferSizeMb(), wanted.bufferSizeMb());
        differ(out, "buffer interval (s)", current.bufferIntervalSeconds(), wanted.bufferIntervalSeconds());
        differ(out, "compression", current.compression(), wanted.compression());
        differ(out, "role", current.roleArn(), wanted.roleArn());
        differ(out, "bucket", current.bucketArn(), wanted.bucketArn());
        differ(out, "prefix", current.prefix(), wanted.prefix());
        differ(out, "error prefix", current.errorPrefix(), wanted.errorPrefix());
        differ(out, "newline after each record", current.appendNewline(), wanted.appendNewline());
        return out;
    }

    private static void differ(List<String> out, String what, Object current, Object wanted) {
        if (!ReadBack.agrees(wanted, current)) {
            out.add(what + " " + current + " → " + wanted);
        }
    }

    @Override
    public StepResult remove(StepContext c) {
        String name = c.names().deliveryStream();
        DeliveryStream d = deliveryStreams.describe(name).orElse(null);
        if (d == null) {
            return new StepResult.Done("delivery stream " + name + " deleted", PipelineResources.NONE);
        }
        if (!c.owner().owns(deliveryStreams.tags(name))) {
            return new StepResult.Done("left delivery stream " + name + ", which is not this pipeline's",
                    PipelineResources.NONE);
        }
        // Firehose cannot delete a stream still CREATING; every other state may be deleted (again).
        if ("CREATING".equals(d.status())) {
            return new StepResult.Wait("delivery stream " + name + " is CREATING", PipelineResources.NONE);
        }
        String deleting = "delivery stream " + name + " is being deleted";
        if (d.active() && c.ingestClosedAt() != null) {
            Drain.State drained = drain.check(c.names().stream(), name, c.ingestClosedAt(),
                    c.spec().bufferIntervalSeconds(), Instant.now());
            if (drained instanceof Drain.Waiting waiting) {
                return new StepResult.Wait("draining: " + waiting.why(), PipelineResources.NONE);
            }
            if (drained instanceof Drain.TimedOut timedOut) {
                return new StepResult.Failed(new AwsFailure(AwsFailure.Kind.PERMANENT, "DrainTimedOut", timedOut.why()),
                        PipelineResources.NONE);
            }
            deleting = ((Drain.Drained) drained).how() + "; " + deleting;
        }
        if (!"DELETING".equals(d.status())) {
            deliveryStreams.delete(name);
        }
        return new StepResult.Wait(deleting, PipelineResources.NONE);
    }

    private static StepResult wait(String why, String name, String arn) {
        return new StepResult.Wait(why, PipelineResources.NONE.withDeliveryStream(name, arn));
    }
}
