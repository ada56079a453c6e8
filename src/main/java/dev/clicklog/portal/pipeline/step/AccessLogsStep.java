package dev.clicklog.portal.pipeline.step;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.clicklog.portal.adapter.AccessLogFields;
import dev.clicklog.portal.adapter.AccessLogsAdapter;
import dev.clicklog.portal.adapter.AccessLogsAdapter.LogGroup;
import dev.clicklog.portal.adapter.AccessLogsAdapter.StageLogs;
import dev.clicklog.portal.adapter.Arns;
import dev.clicklog.portal.adapter.AwsException;
import dev.clicklog.portal.adapter.AwsFailure;
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
 */
@ApplicationScoped
class AccessLogsStep implements ProvisioningStep {

    private final AccessLogsAdapter logs;
    private final Arns arns;
    private final PipelinesConfig config;

    AccessLogsStep(AccessLogsAdapter logs, Arns arns, PipelinesConfig config) {
        this.logs = logs;
        this.arns = arns;
        this.config = config;
    }

    @Override
    public StepKind kind() {
        return StepKind.ACCESS_LOGS;
    }

    @Override
    public StepResult apply(StepContext c) {
        String name = c.names().logGroup();
        Changes changes = c.changes();
        LogGroup group = logs.describe(name).orElse(null);
        if (group == null) {
            changes.create("log group " + name, () -> logs.create(name, c.tags()));
            group = logs.describe(name).orElse(null);
            if (group == null) {
                return new StepResult.Wait("log group " + name + " is being created", PipelineResources.NONE);
            }
        } else if (!c.owns(group.tags())) {
            return new StepResult.Failed(new AwsFailure(AwsFailure.Kind.PERMANENT, "NotThePipelines",
                    "log group " + name + " exists and is not this pipeline's (its tags do not name it); "
                            + "the portal neither uses nor changes it"), PipelineResources.NONE);
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
        ensureAccountRole(changes);

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
     * The account's CloudWatch role: any role set is used as it is; without one, the portal's is
     * made (or repaired) and set.
     */
    private void ensureAccountRole(Changes changes) {
        String ours = arns.role(ResourceNames.ACCOUNT_LOGS_ROLE);
        Optional<String> current = logs.accountRole();
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
        String name = c.names().logGroup();
        String apiId = c.resources().restApiId();
        String stage = c.names().stage();
        if (apiId != null) {
            Optional<StageLogs> current = logs.stageLogs(apiId, stage);
            if (current.isPresent() && current.get().destinationArn().replaceFirst(":\\*$", "")
                    .endsWith(":log-group:" + name)) {
                logs.clearStageLogs(apiId, stage);
            }
        }
        Optional<LogGroup> group = logs.describe(name);
        if (group.isPresent() && c.owns(group.get().tags())) {
            logs.delete(name);
        }
        return new StepResult.Done("log group " + name + " deleted", PipelineResources.NONE);
    }
}
