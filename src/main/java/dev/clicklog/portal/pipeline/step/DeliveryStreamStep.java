package dev.clicklog.portal.pipeline.step;

import dev.clicklog.portal.pipeline.PipelineResources;
import dev.clicklog.portal.pipeline.PipelineSpec;
import dev.clicklog.portal.pipeline.StepKind;

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
 */
@ApplicationScoped
class DeliveryStreamStep implements ProvisioningStep {

    /** Hive-style partitions: year=2026/month=05/day=20/. */
    static final String PARTITIONS = "year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/";
    /** Firehose requires the error prefix to name the error type when the prefix has expressions. */
    static final String ERROR_PARTITIONS = "!{firehose:error-output-type}/" + PARTITIONS;

    private final DeliveryStreamAdapter deliveryStreams;
    private final Arns arns;

    DeliveryStreamStep(DeliveryStreamAdapter deliveryStreams, Arns arns) {
        this.deliveryStreams = deliveryStreams;
        this.arns = arns;
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
        DeliveryStream d = deliveryStreams.describe(name).orElse(null);
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
            deliveryStreams.updateDestination(d, wanted);
            changes.changed("restored the S3 destination of delivery stream " + name);
        }
        if (!ResourceTags.includes(deliveryStreams.tags(name), c.tags())) {
            deliveryStreams.tag(name, c.tags());
            changes.changed("tagged delivery stream " + name);
        }
        return new StepResult.Done("delivery stream " + name + " is ACTIVE",
                PipelineResources.NONE.withDeliveryStream(name, d.arn()));
    }

    @Override
    public StepResult remove(StepContext c) {
        String name = c.names().deliveryStream();
        DeliveryStream d = deliveryStreams.describe(name).orElse(null);
        if (d == null) {
            return new StepResult.Done("delivery stream " + name + " deleted", PipelineResources.NONE);
        }
        // Firehose cannot delete a stream still CREATING; every other state may be deleted (again).
        if ("CREATING".equals(d.status())) {
            return new StepResult.Wait("delivery stream " + name + " is CREATING", PipelineResources.NONE);
        }
        if (!"DELETING".equals(d.status())) {
            deliveryStreams.delete(name);
        }
        return new StepResult.Wait("delivery stream " + name + " is being deleted", PipelineResources.NONE);
    }

    private static StepResult wait(String why, String name, String arn) {
        return new StepResult.Wait(why, PipelineResources.NONE.withDeliveryStream(name, arn));
    }
}
