package dev.clicklog.portal.pipeline;

import dev.clicklog.portal.pipeline.step.BucketStep;
import dev.clicklog.portal.pipeline.step.ProvisioningStep;
import dev.clicklog.portal.pipeline.step.RolesStep;
import dev.clicklog.portal.pipeline.step.StepContext;
import dev.clicklog.portal.pipeline.step.StepResult;
import dev.clicklog.portal.pipeline.step.StreamStep;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.clicklog.portal.adapter.Arns;
import dev.clicklog.portal.adapter.IngestApiAdapter;
import dev.clicklog.portal.adapter.ResourceNames;
import dev.clicklog.portal.adapter.ResourceTags;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.enterprise.inject.Instance;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.RestApi;

/**
 * Several portal replicas on one database, and replicas that die mid-provisioning. A second
 * {@link Reconciler} here is a real second replica: its own worker pool, its own lease owner id,
 * the same database and the same AWS endpoint; only the process is shared.
 */
@QuarkusTest
class ReconcilerReplicaTest {

    @Inject
    PipelineStore store;
    @Inject
    PipelinesConfig config;
    @Inject
    Arns arns;
    @Inject
    Instance<ProvisioningStep> steps;
    @Inject
    RolesStep rolesStep;
    @Inject
    StreamStep streamStep;
    @Inject
    BucketStep bucketStep;
    @Inject
    IngestApiAdapter apis;
    @Inject
    ApiGatewayClient apiGateway;

    /**
     * A replica claimed the pipeline, created the roles, the stream, the bucket and — twice, over two
     * attempts — the REST API, then died before recording any of it. Once its lease runs out the
     * live reconciler takes over, adopts what exists, and leaves exactly one of everything.
     */
    @Test
    void aPipelineAbandonedByACrashedReplicaConvergesWithoutDuplicates() throws Exception {
        String name = PipelineApi.uniqueName("crash");
        PipelineSpec spec = PipelineSpec.of(new PipelineRequest(name, "t", null, null, null, null, null, null, null, null,
                null, null));
        ResourceNames names = ResourceNames.of(name, arns.account(), config.sharedBucket());
        Instant leaseUntil = Instant.now().plusSeconds(4);
        Pipeline claimed = QuarkusTransaction.requiringNew().call(() -> {
            Instant started = Instant.now();
            // a pipeline's team must exist (a fresh database has none)
            Team.named("t").orElseGet(() -> Team.create("t", Instant.now()));
            Pipeline p = Pipeline.create(spec, started);
            p.step(StepKind.ROLES).state = StepState.IN_PROGRESS;
            p.persistAndFlush();
            p.event(started, null, EventType.CREATED, "created by the replica that crashed");
            Pipeline.update("leaseOwner = ?1, leaseUntil = ?2 where id = ?3", "crashed-replica/1", leaseUntil, p.id);
            return p;
        });
        long id = claimed.id;
        ResourceTags.Owner owner = new ResourceTags.Owner(name, "t", claimed.pipelineId, false);
        StepContext context = new StepContext(spec, names, PipelineResources.NONE, owner);
        assertInstanceOf(StepResult.Done.class, rolesStep.apply(context));
        assertInstanceOf(StepResult.Wait.class, streamStep.apply(context));
        assertInstanceOf(StepResult.Done.class, bucketStep.apply(context));
        String firstApi = apis.create(names.restApi(), "left by a crash", owner.tags()).id();
        // API Gateway orders APIs by creation time, to the millisecond: the second one comes a millisecond later.
        long firstCreatedBy = System.currentTimeMillis();
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(1))
                .until(() -> System.currentTimeMillis() > firstCreatedBy);
        String secondApi = apis.create(names.restApi(), "left by a crash", owner.tags()).id();

        JsonPath ready = PipelineApi.awaitStatus(name, "READY");
        List<Map<String, Object>> events = ready.getList("events");
        Instant firstAction = events.stream().filter(e -> !"CREATED".equals(e.get("type")))
                .map(e -> Instant.parse((String) e.get("at"))).min(Instant::compareTo).orElseThrow();
        assertFalse(firstAction.isBefore(leaseUntil), "nobody touched the pipeline while the dead replica's lease ran: "
                + firstAction + " < " + leaseUntil);

        List<String> apisNamed = restApisNamed(names.restApi());
        assertEquals(List.of(firstApi), apisNamed, "the oldest API is adopted, the extra one deleted");
        assertEquals(firstApi, ready.getString("resources.restApiId"));
        assertEquals(id, (long) QuarkusTransaction.requiringNew().call(() -> Pipeline.findActive(name).orElseThrow().id));
        assertFalse(apisNamed.contains(secondApi));

        PipelineApi.deleteAndAwait(name);
        assertTrue(restApisNamed(names.restApi()).isEmpty());
    }

    /** Two replicas reconcile the same pipelines at the same time; the leases let only one act on each. */
    @Test
    void twoReplicasNeverProvisionOnePipelineTwice() {
        Reconciler replica = new Reconciler(store, config, arns, steps);
        replica.start();
        try {
            List<String> pipelines = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String name = PipelineApi.uniqueName("replica");
                PipelineApi.create("{\"name\":\"" + name + "\",\"team\":\"t\"}");
                pipelines.add(name);
            }
            List<Long> ids = QuarkusTransaction.requiringNew().call(() -> pipelines.stream()
                    .map(n -> Pipeline.findActive(n).orElseThrow().id).toList());
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
                ids.forEach(replica::submit);
                return pipelines.stream().allMatch(n -> "READY".equals(PipelineApi.get(n).getString("status")));
            });
            for (String name : pipelines) {
                assertEquals(1, restApisNamed("clicklog-" + name).size(), name);
            }
            ids.forEach(replica::submit);
            for (String name : pipelines) {
                PipelineApi.delete(name);
            }
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
                ids.forEach(replica::submit);
                return pipelines.stream().allMatch(n -> "DELETED".equals(PipelineApi.get(n).getString("status")));
            });
            for (String name : pipelines) {
                assertTrue(restApisNamed("clicklog-" + name).isEmpty(), name);
            }
        } finally {
            replica.stop();
        }
    }

    /** A pass claims only a pipeline whose lease is free or has run out; the claim is atomic. */
    @Test
    void aLeaseIsHeldByOnePassAtATime() {
        String name = PipelineApi.uniqueName("lease");
        long id = QuarkusTransaction.requiringNew().call(() -> {
            // a pipeline's team must exist (a fresh database has none)
            Team.named("t").orElseGet(() -> Team.create("t", Instant.now()));
            Pipeline p = Pipeline.create(PipelineSpec.of(new PipelineRequest(name, "t", null, null, null, null, null, null,
                    null, null, null, null)), Instant.now());
            // FAILED: the reconciler leaves it alone, so only this test claims it
            p.status = PipelineStatus.FAILED;
            p.persist();
            return p.id;
        });
        Instant now = Instant.now();
        assertTrue(store.claim(id, "a/1", now));
        assertFalse(store.claim(id, "b/1", now), "held by a/1");
        assertFalse(store.claim(id, "b/2", now.plus(config.lease()).minusMillis(1)), "not yet expired");
        assertTrue(store.claim(id, "b/3", now.plus(config.lease()).plusMillis(1)), "expired: b takes over");
        store.release(id, "a/1");
        assertFalse(store.claim(id, "c/1", now.plus(config.lease()).plusMillis(2)), "a/1 cannot release b's lease");
        store.release(id, "b/3");
        assertTrue(store.claim(id, "c/2", now));
        store.release(id, "c/2");
        assertEquals(Optional.empty(), QuarkusTransaction.requiringNew().call(() -> Optional.ofNullable(
                ((Pipeline) Pipeline.findById(id)).leaseOwner)));
    }

    private List<String> restApisNamed(String apiName) {
        return apiGateway.getRestApis(r -> r.limit(500)).items().stream().filter(a -> apiName.equals(a.name()))
                .map(RestApi::id).toList();
    }
}
