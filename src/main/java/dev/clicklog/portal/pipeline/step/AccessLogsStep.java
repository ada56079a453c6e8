package dev.clicklog.portal.pipeline.step;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.clicklog.portal.adapter.AccessLogFields;
import dev.clicklog.portal.adapter.AccessLogsAdapter;
import dev.clicklog.portal.adapter.AccessLogsAdapter.LogGroup;
import dev.clicklog.portal.adapter.AccessLogsAdapter.StageLogs;
import dev.clicklog.portal.adapter.Arns;
import dev.clicklog.portal.adapter.AwsException;
import dev.clicklog.portal.adapter.AwsFailure;
import dev.clicklog.portal.adapter.OptionalFeature;
import dev.clicklog.portal.adapter.PipelinePolicies;
import dev.clicklog.portal.adapter.ResourceNames;
import dev.clicklog.portal.adapter.ResourceTags;
import dev.clicklog.portal.adapter.RoleAdapter.Role;
import dev.clicklog.portal.pipeline.PipelineResources;
import dev.clicklog.portal.pipeline.PipelinesConfig;
import dev.clicklog.portal.pipeline.StepKind;

/**
 * The access logs of the pipeline's stage — one JSON line per request the gateway answered, its
 * refusals included — in a CloudWatch Logs log group of the pipeline's own, kept
 * {@code clicklog.pipelines.access-logs.retention-days}. The log group is created (with the
 * pipeline's tags) before the stage is told to write to it, and deleted after the stage stops.
 *
 * <p>API Gateway writes logs as the account's CloudWatch role, one per account and region. When the
 * account has one, it is used as it is — it is not the portal's to change. When it has none, the
 * portal makes {@value ResourceNames#ACCOUNT_LOGS_ROLE}, which may write the streams of the pipelines'
 * log groups only, and sets it; it stays when pipelines are deleted, since every pipeline (and the
 * account) shares it.
 *
 * <p>Access logs are an {@linkplain OptionalFeature#ACCESS_LOGS optional feature}: on an endpoint
 * that does not serve CloudWatch Logs or UpdateAccount the step makes none of it (what an earlier
 * call made before the gap showed is removed again) and the pipeline is READY, degraded.
 */
@ApplicationScoped
class AccessLogsStep implements ProvisioningStep {

    private static final Logger LOG = Logger.getLogger(AccessLogsStep.class);

    private final AccessLogsAdapter logs;
    private final Arns arns;
    private final PipelinesConfig config;
    private final OptionalFeatures features;

    AccessLogsStep(AccessLogsAdapter logs, Arns arns, PipelinesConfig config, OptionalFeatures features) {
        this.logs = logs;
        this.arns = arns;
        this.config = config;
        this.features = features;
    }

    @Override
    public StepKind kind() {
        return StepKind.ACCESS_LOGS;
    }

    @Override
    public StepResult apply(StepContext c) {
        return features.attempt(c, OptionalFeature.ACCESS_LOGS, () -> provide(c)).orElseGet(() -> without(c));
    }

    private StepResult provide(StepContext c) {
        String name = c.names().logGroup();
        Changes changes = c.changes();
        LogGroup group = logs.describe(name).orElse(null);
        if (group != null && !c.owns(group.tags())) {
            throw c.owner().notOwned("CloudWatch Logs log group " + name);
        }
        Optional<String> accountRole = logs.accountRole();
        if (accountRole.isEmpty()) {
            // Before anything is made: an endpoint without UpdateAccount could not use it.
            logs.updateAccountNothing();
        }
        if (group == null) {
            changes.create("log group " + name, () -> logs.create(name, c.tags()));
            group = logs.describe(name).orElse(null);
            if (group == null) {
                return new StepResult.Wait("log group " + name + " is being created", PipelineResources.NONE);
            }
        }
        int days = config.accessLogs().retentionDays();
        if (group.retentionInDays() == null || group.retentionInDays() != days) {
            logs.setRetention(name, days);
            if (!changes.foundMissing()) {
                changes.changed("set the retention of log group " + name + " back to " + days + " days");
            }
        }
        if (!ResourceTags.includes(group.tags(), c.tags())) {
            logs.tag(group.arn(), c.tags());
            changes.changed("tagged log group " + name);
        }
        changes.carriesTags();
        ensureAccountRole(changes, accountRole);

        String apiId = c.resources().restApiId();
        String stage = c.names().stage();
        StageLogs wanted = new StageLogs(group.arn(), AccessLogFields.FORMAT);
        Optional<StageLogs> current = logs.stageLogs(apiId, stage);
        if (!current.map(s -> sameDestination(s, wanted) && wanted.format().equals(s.format())).orElse(false)) {
            logs.setStageLogs(apiId, stage, wanted);
            changes.changed("set the access logging of stage " + stage + " to log group " + name);
        }
        return new StepResult.Done("stage " + stage + " writes its access logs to log group " + name + ", kept " + days
                + " days", PipelineResources.NONE.withLogGroup(name));
    }

    /**
     * The pipeline without access logs: the feature is all or nothing, so what a call made before the
     * gap showed (a log group whose retention could not be set, say) is removed again, as far as the
     * endpoint lets it be.
     */
    private StepResult without(StepContext c) {
        try {
            removeLogs(c);
        } catch (AwsException e) {
            LOG.debugf("pipeline %s: nothing of its access logs to remove on this endpoint: %s", c.names().pipeline(),
                    e.failure());
        }
        return new StepResult.Done("no access logs: the endpoint does not serve "
                + OptionalFeature.ACCESS_LOGS.operations(), PipelineResources.NONE);
    }

    /**
     * The account's CloudWatch role: any role set is used as it is; without one, the portal's is
     * made (or repaired) and set.
     */
    private void ensureAccountRole(Changes changes, Optional<String> current) {
        String ours = arns.role(ResourceNames.ACCOUNT_LOGS_ROLE);
        if (current.isPresent() && !current.get().equals(ours)) {
            return;
        }
        String trust = PipelinePolicies.trust("apigateway.amazonaws.com", null);
        String policy = PipelinePolicies.accessLogs(arns.logGroupsInAnyRegion(ResourceNames.LOG_GROUP_PREFIX + "*"));
        Role role = logs.role(ResourceNames.ACCOUNT_LOGS_ROLE).orElse(null);
        if (role == null) {
            role = changes.create("role " + ResourceNames.ACCOUNT_LOGS_ROLE, () -> logs.createRole(
                    ResourceNames.ACCOUNT_LOGS_ROLE, "API Gateway writes the access logs of clicklog pipelines as this role",
                    trust, ResourceTags.portal()));
        } else if (!ResourceTags.PORTAL.equals(role.tags().get(ResourceTags.MANAGED_BY))) {
            throw new AwsException(new AwsFailure(AwsFailure.Kind.PERMANENT, "NotThePortals", "role "
                    + ResourceNames.ACCOUNT_LOGS_ROLE + " exists and was not made by the portal; it is left alone"), null);
        } else if (!PipelinePolicies.same(role.trustPolicy(), trust)) {
            logs.setTrust(role.name(), trust);
            changes.changed("restored the trust policy of role " + role.name());
        }
        if (!logs.rolePolicy(role.name(), ResourceNames.ACCOUNT_LOGS_POLICY).map(p -> PipelinePolicies.same(p, policy))
                .orElse(false)) {
            logs.putRolePolicy(role.name(), ResourceNames.ACCOUNT_LOGS_POLICY, policy);
            changes.changed("set the policy of role " + role.name());
        }
        if (current.isEmpty()) {
            logs.setAccountRole(role.arn());
            changes.changed("set the account's API Gateway CloudWatch role to " + role.arn());
        }
    }

    /** The same log group, whichever of its two ARN forms (with or without {@code :*}) the stage holds. */
    private static boolean sameDestination(StageLogs current, StageLogs wanted) {
        return current.destinationArn().replaceFirst(":\\*$", "").equals(wanted.destinationArn());
    }

    @Override
    public StepResult remove(StepContext c) {
        if (features.missing(OptionalFeature.ACCESS_LOGS)) {
            return without(c);
        }
        return features.quietly(OptionalFeature.ACCESS_LOGS, () -> removeLogs(c)).orElseGet(() -> without(c));
    }

    /** Stops the stage writing to the pipeline's log group and deletes the group, if it is the pipeline's. */
    private StepResult removeLogs(StepContext c) {
        String name = c.names().logGroup();
        String apiId = c.resources().restApiId();
        String stage = c.names().stage();
        Optional<LogGroup> group = logs.describe(name);
        boolean ours = group.isPresent() && c.owns(group.get().tags());
        if (apiId != null) {
            Optional<StageLogs> current = logs.stageLogs(apiId, stage);
            if (current.isPresent() && current.get().destinationArn().replaceFirst(":\\*$", "")
                    .endsWith(":log-group:" + name)) {
                logs.clearStageLogs(apiId, stage);
            }
        }
        if (group.isEmpty()) {
            return new StepResult.Done("log group " + name + " deleted", PipelineResources.NONE);
        }
        if (!ours) {
            return new StepResult.Done("left log group " + name + ", which is not this pipeline's", PipelineResources.NONE);
        }
        logs.delete(name);
        return new StepResult.Done("log group " + name + " deleted", PipelineResources.NONE);
    }
}
