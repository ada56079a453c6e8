package dev.clicklog.portal.pipeline.step;

import dev.clicklog.portal.pipeline.PipelineResources;
import dev.clicklog.portal.pipeline.PipelinesConfig;
import dev.clicklog.portal.pipeline.StepKind;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.clicklog.portal.adapter.Arns;
import dev.clicklog.portal.adapter.IngestApiAdapter;
import dev.clicklog.portal.adapter.IngestApiAdapter.ApiKey;
import dev.clicklog.portal.adapter.IngestApiAdapter.ApiResource;
import dev.clicklog.portal.adapter.IngestApiAdapter.RestApi;
import dev.clicklog.portal.adapter.IngestApiAdapter.Stage;
import dev.clicklog.portal.adapter.IngestApiAdapter.Throttle;
import dev.clicklog.portal.adapter.IngestApiAdapter.UsagePlan;
import dev.clicklog.portal.adapter.IngestApiAdapter.Validator;
import dev.clicklog.portal.adapter.IngestApiDefinition;
import dev.clicklog.portal.adapter.IngestApiDefinition.MethodSpec;
import dev.clicklog.portal.adapter.OptionalFeature;
import dev.clicklog.portal.adapter.ReadBack;
import dev.clicklog.portal.adapter.ResourceNames;
import dev.clicklog.portal.adapter.ResourceTags;

/**
 * The REST API clients send clicks to, deployed to stage v1, with an API key and usage plan when
 * the pipeline requires a key.
 *
 * <p>API Gateway does not keep API names unique, so after a crash between CreateRestApi and
 * recording its id the API is found again by name and the pipeline tag; any extra APIs with both
 * (left by such a crash) are deleted. Methods are compared with the definition and replaced only
 * when they differ. The deployed stage carries the definition's fingerprint as a tag, written after
 * the deployment, so an interrupted deployment is redone and a complete one is not.
 */
@ApplicationScoped
class IngestApiStep implements ProvisioningStep {

    static final String FINGERPRINT_TAG = "clicklog:definition";

    private final IngestApiAdapter apis;
    private final Arns arns;
    private final PipelinesConfig config;
    private final OptionalFeatures features;

    IngestApiStep(IngestApiAdapter apis, Arns arns, PipelinesConfig config, OptionalFeatures features) {
        this.apis = apis;
        this.arns = arns;
        this.config = config;
        this.features = features;
    }

    @Override
    public StepKind kind() {
        return StepKind.INGEST_API;
    }

    @Override
    public StepResult apply(StepContext c) {
        ResourceNames n = c.names();
        Changes changes = c.changes();
        Map<String, String> tags = c.tags();
        List<RestApi> found = owned(c);
        RestApi api;
        if (found.isEmpty()) {
            api = changes.create("REST API " + n.restApi(), () -> apis.create(n.restApi(),
                    "Clicks of pipeline " + n.pipeline() + " into Kinesis stream " + n.stream(), tags));
        } else {
            api = found.get(0);
        }
        found.stream().skip(1).forEach(extra -> {
            apis.delete(extra.id());
            changes.changed("deleted REST API " + extra.id() + ", a second one named " + n.restApi());
        });
        if (!ResourceTags.includes(api.tags(), tags)) {
            apis.tag(IngestApiAdapter.apiPath(api.id()), tags);
            changes.changed("tagged REST API " + api.id());
        }

        // What a new API is built of goes without saying: only changes to an existing one are told.
        Changes parts = found.isEmpty() ? new Changes() : changes;
        String validator = ensureValidator(api.id(), parts);
        IngestApiDefinition definition = IngestApiDefinition.clicks(n.stream(), arns.kinesisAction("PutRecord"),
                arns.kinesisAction("PutRecords"), arns.role(n.apiRole()), validator, c.spec().allowedOrigins(),
                c.spec().apiKeyRequired());
        ensureModels(api.id(), definition, parts);
        boolean changed = ensureMethods(api.id(), definition, parts);
        changed |= features.attempt(c, OptionalFeature.GATEWAY_RESPONSES,
                () -> ensureGatewayResponses(api.id(), definition, parts)).orElse(false);

        String stageName = n.stage();
        Throttle throttle = new Throttle(config.stage().rateLimit(), config.stage().burstLimit());
        Optional<Stage> stage = apis.stage(api.id(), stageName);
        String fingerprint = definition.fingerprint();
        // Stage tags the endpoint does not report say nothing about what is deployed.
        if (changed || stage.isEmpty() || stage.get().tags() != null
                && !fingerprint.equals(stage.get().tags().get(FINGERPRINT_TAG))) {
            apis.deploy(api.id(), stageName, "clicklog definition " + fingerprint);
            apis.throttle(api.id(), stageName, throttle);
            Map<String, String> stageTags = new TreeMap<>(tags);
            stageTags.put(FINGERPRINT_TAG, fingerprint);
            apis.tag(IngestApiAdapter.stagePath(api.id(), stageName), stageTags);
            parts.changed("deployed REST API " + api.id() + " to stage " + stageName);
        } else {
            if (!throttled(stage.get(), throttle)) {
                apis.throttle(api.id(), stageName, throttle);
                parts.changed("restored the throttling of stage " + stageName);
            }
            if (stage.get().tags() != null && !ResourceTags.includes(stage.get().tags(), tags)) {
                Map<String, String> stageTags = new TreeMap<>(stage.get().tags());
                stageTags.putAll(tags);
                apis.tag(IngestApiAdapter.stagePath(api.id(), stageName), stageTags);
                parts.changed("tagged stage " + stageName);
            }
        }
        PipelineResources resources = PipelineResources.NONE.withApi(api.id(), api.name(), stageName);
        if (c.spec().apiKeyRequired()) {
            resources = ensureKey(c, api.id(), stageName, resources);
        }
        return new StepResult.Done("API " + api.id() + " deployed to stage " + stageName, resources);
    }

    @Override
    public StepResult remove(StepContext c) {
        ResourceNames n = c.names();
        if (c.spec().apiKeyRequired()) {
            apis.findUsagePlan(n.usagePlan()).filter(p -> ResourceTags.ownedBy(p.tags(), n.pipeline()))
                    .ifPresent(apis::deleteUsagePlan);
            apis.findApiKey(n.apiKey()).filter(k -> ResourceTags.ownedBy(k.tags(), n.pipeline()))
                    .ifPresent(k -> apis.deleteApiKey(k.id()));
        }
        List<RestApi> found = owned(c);
        found.forEach(api -> apis.delete(api.id()));
        return new StepResult.Done(found.isEmpty() ? "API deleted" : "API " + found.get(0).id() + " deleted",
                PipelineResources.NONE);
    }

    /** The pipeline's APIs: the recorded one if it still exists, else those with its name and tag; oldest first. */
    private List<RestApi> owned(StepContext c) {
        String recorded = c.resources().restApiId();
        if (recorded != null) {
            Optional<RestApi> api = apis.get(recorded);
            if (api.isPresent()) {
                return List.of(api.get());
            }
        }
        return apis.findByName(c.names().restApi()).stream()
                .filter(a -> ResourceTags.ownedBy(a.tags(), c.names().pipeline()))
                .toList();
    }

    /** The id of the validator of request bodies, created or made to validate bodies when needed. */
    private String ensureValidator(String apiId, Changes changes) {
        Optional<Validator> validator = apis.validator(apiId, IngestApiDefinition.VALIDATOR);
        if (validator.isEmpty()) {
            String id = apis.createBodyValidator(apiId, IngestApiDefinition.VALIDATOR);
            changes.changed("created request validator " + IngestApiDefinition.VALIDATOR);
            return id;
        }
        if (!validator.get().validatesBody()) {
            apis.validateBodies(apiId, validator.get().id());
            changes.changed("made request validator " + IngestApiDefinition.VALIDATOR + " validate bodies again");
        }
        return validator.get().id();
    }

    private void ensureModels(String apiId, IngestApiDefinition definition, Changes changes) {
        Map<String, String> current = apis.models(apiId);
        for (IngestApiDefinition.Model model : definition.models()) {
            String schema = current.get(model.name());
            if (schema == null) {
                apis.createModel(apiId, model);
                changes.changed("created model " + model.name());
            } else if (!IngestApiAdapter.sameSchema(schema, model.schema())) {
                apis.updateModel(apiId, model);
                changes.changed("restored the schema of model " + model.name());
            }
        }
    }

    /** Creates missing resources and methods, replaces methods that differ; returns whether anything changed. */
    private boolean ensureMethods(String apiId, IngestApiDefinition definition, Changes changes) {
        Map<String, ApiResource> byPath = new HashMap<>();
        apis.resources(apiId).forEach(r -> byPath.put(r.path(), r));
        boolean changed = false;
        for (MethodSpec method : definition.methods()) {
            String resourceId = ensurePath(apiId, method.path(), byPath);
            ApiResource resource = byPath.get(method.path());
            MethodSpec current = resource == null ? null : resource.methods().get(method.httpMethod());
            if (current != null && ReadBack.agrees(method, current)) {
                continue;
            }
            if (current != null) {
                apis.deleteMethod(apiId, resourceId, method.httpMethod());
            }
            apis.putMethod(apiId, resourceId, method);
            changes.changed((current == null ? "put" : "replaced") + " method " + method.httpMethod() + " "
                    + method.path());
            changed = true;
        }
        return changed;
    }

    /** Puts the gateway responses whose headers differ; returns whether any did. */
    private boolean ensureGatewayResponses(String apiId, IngestApiDefinition definition, Changes changes) {
        Map<String, Map<String, String>> wanted = definition.gatewayResponses();
        Map<String, Map<String, String>> current = apis.gatewayResponses(apiId, List.copyOf(wanted.keySet()));
        boolean changed = false;
        for (Map.Entry<String, Map<String, String>> e : wanted.entrySet()) {
            if (!ReadBack.agrees(e.getValue(), current.get(e.getKey()))) {
                apis.putGatewayResponse(apiId, e.getKey(), e.getValue());
                changes.changed("set the CORS headers of gateway response " + e.getKey());
                changed = true;
            }
        }
        return changed;
    }

    /** The id of the resource at this path, creating it (and its parents) when missing. */
    private String ensurePath(String apiId, String path, Map<String, ApiResource> byPath) {
        ApiResource existing = byPath.get(path);
        if (existing != null) {
            return existing.id();
        }
        if ("/".equals(path)) {
            throw new IllegalStateException("API " + apiId + " has no root resource");
        }
        int slash = path.lastIndexOf('/');
        String parentPath = slash == 0 ? "/" : path.substring(0, slash);
        String parentId = ensurePath(apiId, parentPath, byPath);
        String id = apis.createResource(apiId, parentId, path.substring(slash + 1));
        byPath.put(path, new ApiResource(id, path, Map.of()));
        return id;
    }

    private static boolean throttled(Stage stage, Throttle throttle) {
        return ReadBack.agrees(throttle.rateLimit(), stage.rateLimit())
                && ReadBack.agrees(throttle.burstLimit(), stage.burstLimit());
    }

    /** The API key (its value is shown to the team) in a usage plan on this API's stage. */
    private PipelineResources ensureKey(StepContext c, String apiId, String stage, PipelineResources resources) {
        ResourceNames n = c.names();
        Map<String, String> tags = c.tags();
        Changes changes = c.changes();
        ApiKey key = apis.findApiKey(n.apiKey()).filter(k -> ResourceTags.ownedBy(k.tags(), n.pipeline()))
                .orElse(null);
        if (key == null) {
            key = changes.create("API key " + n.apiKey(),
                    () -> apis.createApiKey(n.apiKey(), "Clicks of pipeline " + n.pipeline(), tags));
        }
        Throttle throttle = new Throttle(config.usagePlan().rateLimit(), config.usagePlan().burstLimit());
        int quota = config.usagePlan().quotaPerDay();
        Optional<UsagePlan> plan = apis.findUsagePlan(n.usagePlan()).filter(p -> ResourceTags.ownedBy(p.tags(), n.pipeline()));
        String planId;
        if (plan.isEmpty()) {
            planId = changes.create("usage plan " + n.usagePlan(), () -> apis.createUsagePlan(n.usagePlan(),
                    "Clicks of pipeline " + n.pipeline(), apiId, stage, throttle, quota, tags));
        } else {
            UsagePlan p = plan.get();
            planId = p.id();
            boolean same = ReadBack.agrees(List.of(apiId + ":" + stage), p.apiStages())
                    && ReadBack.agrees(throttle.rateLimit(), p.rateLimit())
                    && ReadBack.agrees(throttle.burstLimit(), p.burstLimit())
                    && ReadBack.agrees(quota, p.quotaLimit()) && ReadBack.agrees("DAY", p.quotaPeriod());
            if (!same) {
                apis.updateUsagePlan(p, apiId, stage, throttle, quota);
                changes.changed("restored the stage, throttling and quota of usage plan " + n.usagePlan());
            }
        }
        if (apis.addKey(planId, key.id())) {
            changes.changed("added API key " + n.apiKey() + " to usage plan " + n.usagePlan());
        }
        return resources.withApiKey(key.id(), key.value(), planId);
    }
}
