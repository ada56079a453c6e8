package dev.clicklog.portal.adapter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.Op;
import software.amazon.awssdk.services.apigateway.model.PatchOperation;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/**
 * Everything a pipeline's access logs need from AWS, in one place: the CloudWatch Logs log group
 * (retention, tags), the account's CloudWatch role that API Gateway writes logs with (GetAccount,
 * UpdateAccount, and the role itself in IAM, through {@link RoleAdapter}), and the stage's access
 * log settings. Access logs are an addition to a pipeline: an account where the portal may not make
 * these calls can leave them out without touching the other steps' adapters.
 */
@ApplicationScoped
public class AccessLogsAdapter {

    /** A log group as CloudWatch Logs describes it; {@code retentionInDays} null when kept forever. */
    public record LogGroup(String name, String arn, Integer retentionInDays, Map<String, String> tags) {
    }

    /** A stage's access log settings. */
    public record StageLogs(String destinationArn, String format) {
    }

    private final CloudWatchLogsClient logs;
    private final ApiGatewayClient apiGateway;
    private final RoleAdapter roles;

    AccessLogsAdapter(CloudWatchLogsClient logs, ApiGatewayClient apiGateway, RoleAdapter roles) {
        this.logs = logs;
        this.apiGateway = apiGateway;
        this.roles = roles;
    }

    // --- the log group ---

    public Optional<LogGroup> describe(String name) {
        return AwsErrors.call(() -> logs.describeLogGroups(r -> r.logGroupNamePrefix(name)).logGroups()).stream()
                .filter(g -> g.logGroupName().equals(name))
                .findFirst()
                .map(g -> {
                    String arn = g.logGroupArn() != null ? g.logGroupArn() : g.arn().replaceFirst(":\\*$", "");
                    return new LogGroup(g.logGroupName(), arn, g.retentionInDays(), tags(arn));
                });
    }

    /** Creates the log group with its tags; one that exists already (an earlier attempt) is left to the caller's look. */
    public void create(String name, Map<String, String> tags) {
        AwsErrors.create(() -> logs.createLogGroup(r -> r.logGroupName(name).tags(tags)));
    }

    public void setRetention(String name, int days) {
        AwsErrors.run(() -> logs.putRetentionPolicy(r -> r.logGroupName(name).retentionInDays(days)));
    }

    public void tag(String arn, Map<String, String> tags) {
        AwsErrors.run(() -> logs.tagResource(r -> r.resourceArn(arn).tags(tags)));
    }

    /** Deletes the log group and what it holds; false when it was already gone. */
    public boolean delete(String name) {
        return AwsErrors.delete(() -> logs.deleteLogGroup(r -> r.logGroupName(name)));
    }

    private Map<String, String> tags(String arn) {
        return new LinkedHashMap<>(AwsErrors.call(() -> logs.listTagsForResource(r -> r.resourceArn(arn)).tags()));
    }

    // --- the account's CloudWatch role ---

    /** The role API Gateway writes this account's logs with, in this region; empty when none is set. */
    public Optional<String> accountRole() {
        return Optional.ofNullable(AwsErrors.call(() -> apiGateway.getAccount(r -> { })).cloudwatchRoleArn())
                .filter(arn -> !arn.isEmpty());
    }

    public void setAccountRole(String roleArn) {
        AwsErrors.run(() -> apiGateway.updateAccount(r -> r.patchOperations(PatchOperation.builder().op(Op.REPLACE)
                .path("/cloudwatchRoleArn").value(roleArn).build())));
    }

    /**
     * An UpdateAccount without patch operations: it changes nothing, and shows whether the endpoint
     * serves UpdateAccount before anything is made that would need it.
     */
    public void updateAccountNothing() {
        AwsErrors.run(() -> apiGateway.updateAccount(r -> r.patchOperations(List.of())));
    }

    public Optional<RoleAdapter.Role> role(String name) {
        return roles.describe(name);
    }

    public RoleAdapter.Role createRole(String name, String description, String trustPolicy, Map<String, String> tags) {
        return roles.create(name, description, trustPolicy, tags);
    }

    public void setTrust(String role, String trustPolicy) {
        roles.updateTrustPolicy(role, trustPolicy);
    }

    public Optional<String> rolePolicy(String role, String policyName) {
        return roles.inlinePolicy(role, policyName);
    }

    public void putRolePolicy(String role, String policyName, String document) {
        roles.putInlinePolicy(role, policyName, document);
    }

    // --- the stage ---

    /** The stage's access log settings; empty when it writes none (or the stage is gone). */
    public Optional<StageLogs> stageLogs(String apiId, String stage) {
        return AwsErrors.find(() -> apiGateway.getStage(r -> r.restApiId(apiId).stageName(stage)))
                .map(s -> s.accessLogSettings())
                .filter(a -> a.destinationArn() != null)
                .map(a -> new StageLogs(a.destinationArn(), a.format()));
    }

    public void setStageLogs(String apiId, String stage, StageLogs settings) {
        AwsErrors.run(() -> apiGateway.updateStage(r -> r.restApiId(apiId).stageName(stage).patchOperations(List.of(
                replace("/accessLogSettings/destinationArn", settings.destinationArn()),
                replace("/accessLogSettings/format", settings.format())))));
    }

    /** Stops the stage's access logs; false when the stage is gone. */
    public boolean clearStageLogs(String apiId, String stage) {
        return AwsErrors.delete(() -> apiGateway.updateStage(r -> r.restApiId(apiId).stageName(stage).patchOperations(
                PatchOperation.builder().op(Op.REMOVE).path("/accessLogSettings").build())));
    }

    private static PatchOperation replace(String path, String value) {
        return PatchOperation.builder().op(Op.REPLACE).path(path).value(value).build();
    }
}
