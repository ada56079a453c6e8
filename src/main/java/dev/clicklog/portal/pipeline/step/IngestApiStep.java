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
import dev.clicklog.portal.adapter.MethodPatch;
import dev.clicklog.portal.adapter.OptionalFeature;
import dev.clicklog.portal.adapter.ReadBack;
import dev.clicklog.portal.adapter.ResourceNames;
import dev.clicklog.portal.adapter.ResourceTags;

/**
 * The REST API clients send clicks to, deployed to stage v1, with an API key and usage plan when
 * the pipeline requires a key.
 *
 * <p>API Gateway does not keep API names unique, so after a crash between CreateRestApi and
 * recording its id the API is found again by name and the pipeline's id tag; any extra APIs with it
 * (left by such a crash) are deleted, and APIs, keys and plans of the same name that are not the
 * pipeline's are left alone. Methods are compared with the definition and only what differs is
 * patched ({@link MethodPatch}: a change of allowed origins or of the API key touches a few
 * headers). The deployed stage carries the definition's fingerprint as a tag, written after the
 * deployment, so an interrupted deployment is redone and a complete one is not; until then clients
 * keep the previous deployment.
 *
 * <p>Turning the key on creates the key and its usage plan before the methods require it; turning it
 * off deploys methods that do not require it before the plan and key go.
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
        return deployed(c, api, definition, changed, parts);
    }

    /** Deploys what changed, with the stage's throttling and tags; then the API key as the spec wants it. */
    private StepResult deployed(StepContext c, RestApi api, IngestApiDefinition definition, boolean changed,
            Changes parts) {
        ResourceNames n = c.names();
        Map<String, String> tags = c.tags();

        String stageName = n.stage();
        Throttle throttle = throttle(c);
        Optional<Stage> stage = apis.stage(api.id(), stageName);
        PipelineResources resources = PipelineResources.NONE.withApi(api.id(), api.name(), stageName);
        boolean keyFirst = c.spec().apiKeyRequired() && stage.isPresent();
        if (keyFirst) {
            // Clients can get the key before the methods require it.
            resources = ensureKey(c, api.id(), stageName, resources);
        }
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
                parts.changed("set the throttling of stage " + stageName + " to " + (int) throttle.rateLimit()
                        + " requests per second, bursts of " + throttle.burstLimit());
            }
            if (stage.get().tags() != null && !ResourceTags.includes(stage.get().tags(), tags)) {
                Map<String, String> stageTags = new TreeMap<>(stage.get().tags());
                stageTags.putAll(tags);
                apis.tag(IngestApiAdapter.stagePath(api.id(), stageName), stageTags);
                parts.changed("tagged stage " + stageName);
            }
        }
        if (c.spec().apiKeyRequired() && !keyFirst) {
            resources = ensureKey(c, api.id(), stageName, resources);
        } else if (!c.spec().apiKeyRequired()) {
            resources = removeKey(c, resources);
        }
        return new StepResult.Done("API " + api.id() + " deployed to stage " + stageName, resources);
    }

    /** The stage's throttling: the pipeline's own, or the portal's default. */
    private Throttle throttle(StepContext c) {
        Integer rate = c.spec().stageRateLimit();
        Integer burst = c.spec().stageBurstLimit();
        return new Throttle(rate != null ? rate : config.stage().rateLimit(),
                burst != null ? burst : config.stage().burstLimit());
    }

    /** Once the methods no longer require a key: the pipeline's usage plan and key go, and are no longer shown. */
    private PipelineResources removeKey(StepContext c, PipelineResources resources) {
        ResourceNames n = c.names();
        Optional<UsagePlan> plan = apis.findUsagePlan(n.usagePlan()).filter(p -> c.owner().owns(p.tags()));
        Optional<ApiKey> key = apis.findApiKey(n.apiKey()).filter(k -> c.owner().owns(k.tags()));
        plan.ifPresent(p -> {
            apis.deleteUsagePlan(p);
            c.changes().changed("deleted usage plan " + n.usagePlan() + ": the API no longer requires a key");
        });
        key.ifPresent(k -> {
            apis.deleteApiKey(k.id());
            c.changes().changed("deleted API key " + n.apiKey());
        });
        return c.resources().apiKeyId() == null && plan.isEmpty() && key.isEmpty() ? resources
                : resources.withoutApiKey();
    }

    @Override
    public StepResult remove(StepContext c) {
        ResourceNames n = c.names();
        apis.findUsagePlan(n.usagePlan()).filter(p -> c.owner().owns(p.tags())).ifPresent(apis::deleteUsagePlan);
        apis.findApiKey(n.apiKey()).filter(k -> c.owner().owns(k.tags())).ifPresent(k -> apis.deleteApiKey(k.id()));
        List<RestApi> found = owned(c);
        found.forEach(api -> apis.delete(api.id()));
        return new StepResult.Done(found.isEmpty() ? "API deleted" : "API " + found.get(0).id() + " deleted",
                PipelineResources.NONE);
    }

    /** The pipeline's APIs: the recorded one if it still exists, else those with its name and tag; oldest first. */
    private List<RestApi> owned(StepContext c) {
        String recorded = c.resources().restApiId();
        if (recorded != null) {
            Optional<RestApi> api = apis.get(recorded).filter(a -> c.owner().owns(a.tags()));
            if (api.isPresent()) {
                return List.of(api.get());
            }
        }
        return apis.findByName(c.names().restApi()).stream()
                .filter(a -> c.owner().owns(a.tags()))
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

    /** Creates missing resources and methods, patches methods that differ; returns whether anything changed. */
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
            String what = " method " + method.httpMethod() + " " + method.path();
            if (current == null) {
                apis.putMethod(apiId, resourceId, method);
                changes.changed("put" + what);
            } else {
                MethodPatch patch = MethodPatch.between(current, method);
                apis.patchMethod(apiId, resourceId, method, patch);
                changes.changed((patch.replace() ? "replaced" : "updated") + what);
            }
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
        ApiKey key = apis.findApiKey(n.apiKey()).filter(k -> c.owner().owns(k.tags())).orElse(null);
        if (key == null) {
            key = changes.create("API key " + n.apiKey(),
                    () -> apis.createApiKey(n.apiKey(), "Clicks of pipeline " + n.pipeline(), tags));
        }
        Throttle throttle = new Throttle(config.usagePlan().rateLimit(), config.usagePlan().burstLimit());
        int quota = config.usagePlan().quotaPerDay();
        Optional<UsagePlan> plan = apis.findUsagePlan(n.usagePlan()).filter(p -> c.owner().owns(p.tags()));
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
