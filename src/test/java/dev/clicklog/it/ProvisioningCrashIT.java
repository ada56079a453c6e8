package dev.clicklog.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.clicklog.it.PortalProcesses.Portal;
import dev.clicklog.portal.adapter.ResourceNames;
import dev.clicklog.portal.pipeline.PipelineApi;
import dev.clicklog.testing.Host;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.RestApi;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;

/**
 * The packaged app in local mode (localaws in the same process) killed with SIGKILL at the step
 * boundaries of provisioning, then started again: every pipeline reaches READY with exactly one of
 * each of its resources, counted through the SDK. Boundaries are held open by slow activations of
 * the run that is killed: the roles done and the stream CREATING; everything done but the delivery
 * stream CREATING; READY. With durability {@code memory} localaws comes back empty each time and
 * the reconciler rebuilds everything; with {@code fsync} what localaws keeps is found again (IAM
 * roles: the same role ids before and after).
 */
@Order(2) // longest first (docs/testing.md)
class ProvisioningCrashIT {

    private static final String ACCOUNT = "000000000000";
    private static final Duration CONVERGE = Duration.ofSeconds(240);

    @RegisterExtension
    final PortalProcesses portals = new PortalProcesses();

    private final SdkHttpClient sdkHttp = ApacheHttpClient.create();

    @AfterEach
    void closeClients() {
        sdkHttp.close();
    }

    /** Where the killed run is held: its slow activation, and when it is killed. */
    private record Boundary(String name, Map<String, String> hold, Predicate<JsonPath> reached) {
    }

    @ParameterizedTest
    @ValueSource(strings = { "memory", "fsync" })
    void everyPipelineKilledAtAStepBoundaryReachesReadyWithOneOfEachResource(String durability) {
        int localawsPort = Host.freePort();
        URI endpoint = URI.create("http://127.0.0.1:" + localawsPort);
        Map<String, String> settings = Map.of(
                "clicklog.aws.mode", "local",
                "clicklog.localaws.port", String.valueOf(localawsPort),
                "clicklog.localaws.durability", durability,
                // quick retries: a run killed mid-way must not wait long for its next attempt
                "clicklog.pipelines.backoff.initial", "100ms",
                "clicklog.pipelines.backoff.max", "2s");
        List<Boundary> boundaries = List.of(
                new Boundary("roles done, stream CREATING",
                        Map.of("clicklog.localaws.kinesis.stream-activation-delay", "1h"),
                        v -> state(v, "ROLES").equals("DONE") && !PipelineApi.messages(v, "STREAM", "WAITING").isEmpty()),
                new Boundary("all but the delivery stream done, it CREATING",
                        Map.of("clicklog.localaws.firehose.activation-delay", "1h"),
                        v -> Stream.of("ROLES", "STREAM", "BUCKET", "INGEST_API").allMatch(s -> state(v, s).equals("DONE"))
                                && !PipelineApi.messages(v, "DELIVERY_STREAM", "WAITING").isEmpty()),
                new Boundary("READY", Map.of(), v -> v.getString("status").equals("READY")));

        List<String> pipelines = new ArrayList<>();
        try (IamClient iam = client(IamClient.builder(), endpoint);
                KinesisClient kinesis = client(KinesisClient.builder(), endpoint);
                FirehoseClient firehose = client(FirehoseClient.builder(), endpoint);
                ApiGatewayClient apiGateway = client(ApiGatewayClient.builder(), endpoint);
                S3Client s3 = client(S3Client.builder().forcePathStyle(true), endpoint)) {
            for (Boundary boundary : boundaries) {
                Map<String, String> held = new HashMap<>(settings);
                held.putAll(boundary.hold());
                Portal portal = portals.start(durability + "-held", held);
                List<String> now = List.of(PipelineApi.uniqueName("crash"), PipelineApi.uniqueName("crash"));
                request(portal, now.get(0), false);
                request(portal, now.get(1), true);
                pipelines.addAll(now);
                await(boundary.name()).atMost(CONVERGE).pollInterval(Duration.ofMillis(50))
                        .until(() -> now.stream().allMatch(n -> boundary.reached().test(view(portal, n))));
                Map<String, String> roleIds = roleIds(iam);
                List<String> wasReady = pipelines.stream().filter(n -> "READY".equals(view(portal, n).getString("status")))
                        .toList();
                portals.kill(portal);

                Instant restartedAt = Instant.now();
                Portal restarted = portals.start(durability + "-restarted", settings);
                for (String name : pipelines) {
                    awaitSettled(restarted, name, wasReady.contains(name) ? restartedAt : null);
                }
                System.out.printf("%s, killed at \"%s\": %d pipelines READY again%n", durability, boundary.name(),
                        pipelines.size());
                assertOneOfEach(pipelines, iam, kinesis, firehose, apiGateway, s3, durability + " / " + boundary.name());
                if (durability.equals("fsync")) {
                    Map<String, String> after = roleIds(iam);
                    roleIds.forEach((role, id) -> assertEquals(id, after.get(role), "role " + role + " was created again"));
                }
                portals.stop(restarted);
            }
        }
    }

    private static String state(JsonPath view, String step) {
        return (String) PipelineApi.step(view, step).get("state");
    }

    private static void request(Portal portal, String name, boolean apiKey) {
        portal.api().contentType(ContentType.JSON)
                .body("{\"name\":\"" + name + "\",\"team\":\"crash\",\"apiKeyRequired\":" + apiKey + "}")
                .post("/api/pipelines").then().log().ifValidationFails().statusCode(201);
    }

    private static JsonPath view(Portal portal, String name) {
        return portal.api().get("/api/pipelines/" + name).then().statusCode(200)
                .extract().jsonPath();
    }

    /** READY and no check under way (a restart checks READY pipelines again, and may rebuild them). */
    /**
     * READY; one that was READY before the kill also checked since the restart ({@code restartedAt};
     * the check of READY pipelines runs in the background after start, they are READY meanwhile).
     */
    private static void awaitSettled(Portal portal, String name, Instant restartedAt) {
        JsonPath[] last = new JsonPath[1];
        await("pipeline " + name + " READY").atMost(CONVERGE).pollInterval(Duration.ofMillis(250))
                .failFast("pipeline " + name + " FAILED", () -> last[0] != null && "FAILED".equals(last[0].getString("status")))
                .until(() -> {
                    last[0] = view(portal, name);
                    String checked = last[0].getString("lastCheckedAt");
                    return "READY".equals(last[0].getString("status")) && last[0].getString("checkingSince") == null
                            && (restartedAt == null || checked != null && Instant.parse(checked).isAfter(restartedAt));
                });
    }

    private static ResourceNames names(String pipeline) {
        return ResourceNames.of(pipeline, ACCOUNT, Optional.empty());
    }

    /**
     * Nothing but these pipelines used this localaws: every resource in it is counted. The account's
     * one role that lets API Gateway write access logs is shared by every pipeline.
     */
    private static void assertOneOfEach(List<String> pipelines, IamClient iam, KinesisClient kinesis, FirehoseClient firehose,
            ApiGatewayClient apiGateway, S3Client s3, String when) {
        assertEquals(sorted(Stream.concat(Stream.of(ResourceNames.ACCOUNT_LOGS_ROLE),
                pipelines.stream().flatMap(n -> Stream.of(names(n).apiRole(), names(n).deliveryRole())))),
                iam.listRolesPaginator().roles().stream().map(Role::roleName).sorted().toList(), when + ": IAM roles");
        assertEquals(sorted(pipelines.stream().map(n -> names(n).stream())),
                kinesis.listStreams(r -> r.limit(100)).streamNames().stream().sorted().toList(), when + ": streams");
        assertEquals(sorted(pipelines.stream().map(n -> names(n).deliveryStream())),
                firehose.listDeliveryStreams(r -> r.limit(100)).deliveryStreamNames().stream().sorted().toList(),
                when + ": delivery streams");
        assertEquals(sorted(pipelines.stream().map(n -> names(n).restApi())),
                apiGateway.getRestApis(r -> r.limit(500)).items().stream().map(RestApi::name).sorted().toList(),
                when + ": REST APIs");
        assertEquals(sorted(pipelines.stream().map(n -> names(n).bucket())),
                s3.listBuckets().buckets().stream().map(Bucket::name).sorted().toList(), when + ": buckets");
        long keyed = pipelines.size() / 2;
        assertEquals(keyed, apiGateway.getApiKeys(r -> r.limit(500)).items().size(), when + ": API keys");
        assertEquals(keyed, apiGateway.getUsagePlans(r -> r.limit(500)).items().size(), when + ": usage plans");
    }

    private static Map<String, String> roleIds(IamClient iam) {
        Map<String, String> ids = new LinkedHashMap<>();
        iam.listRolesPaginator().roles().forEach(r -> ids.put(r.roleName(), r.roleId()));
        return ids;
    }

    private static List<String> sorted(Stream<String> names) {
        return names.sorted().toList();
    }

    private <C, B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>> C client(B builder, URI endpoint) {
        return builder.endpointOverride(endpoint).region(Region.US_EAST_1).httpClient(sdkHttp)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
    }
}
