package dev.clicklog.portal.pipeline;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.core.ConditionTimeoutException;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** The portal's pipelines API as tests drive it: over HTTP, polling with bounds. */
public final class PipelineApi {

    private PipelineApi() {
    }

    /** A pipeline name no other test uses. */
    public static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** POSTs the request body and expects 201. */
    public static JsonPath create(String json) {
        return given().contentType(ContentType.JSON).body(json)
                .when().post("/api/pipelines")
                .then().log().ifValidationFails().statusCode(201)
                .extract().jsonPath();
    }

    /** Requests a pipeline of team "t" with every default and waits until it is READY. */
    public static JsonPath createReady(String name) {
        create("{\"name\":\"" + name + "\",\"team\":\"t\"}");
        return awaitStatus(name, "READY");
    }

    public static JsonPath get(String name) {
        return given().get("/api/pipelines/" + name).then().statusCode(200).extract().jsonPath();
    }

    /** Polls until the pipeline has this status; fails fast when it reaches another final status. */
    public static JsonPath awaitStatus(String name, String status, Duration atMost) {
        JsonPath[] last = new JsonPath[1];
        try {
            await().atMost(atMost).pollInterval(Duration.ofMillis(20)).until(() -> {
                last[0] = get(name);
                String now = last[0].getString("status");
                if (!now.equals(status) && (now.equals("FAILED") || now.equals("READY") || now.equals("DELETED"))) {
                    throw new AssertionError("pipeline " + name + " is " + now + ", expected " + status + ": "
                            + last[0].prettify());
                }
                return now.equals(status);
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("pipeline " + name + " did not become " + status + " within " + atMost + ": "
                    + (last[0] == null ? "" : last[0].prettify()), e);
        }
        return last[0];
    }

    /** Within two minutes: on a busy build machine a pipeline's steps can take a while. */
    public static JsonPath awaitStatus(String name, String status) {
        return awaitStatus(name, status, Duration.ofMinutes(2));
    }

    /** One step of the view, by name (ROLES, STREAM, …). */
    public static Map<String, Object> step(JsonPath view, String name) {
        return view.<Map<String, Object>>getList("steps").stream().filter(s -> name.equals(s.get("name")))
                .findFirst().orElseThrow();
    }

    /** The messages of the view's events of one step and type, oldest first. */
    public static List<String> messages(JsonPath view, String step, String type) {
        return view.<Map<String, Object>>getList("events").stream()
                .filter(e -> step.equals(e.get("step")) && type.equals(e.get("type")))
                .map(e -> (String) e.get("message")).toList();
    }

    public static JsonPath delete(String name) {
        return given().delete("/api/pipelines/" + name).then().statusCode(202).extract().jsonPath();
    }

    /**
     * How long a teardown may take: Firehose first delivers what it holds, up to a buffer interval
     * (60 s by default) after the last click, as CloudWatch tells it a minute at a time.
     */
    public static final Duration TEARDOWN = Duration.ofMinutes(4);

    /** Deletes the pipeline (keeping its clicks) and waits until it is DELETED. */
    public static JsonPath deleteAndAwait(String name) {
        delete(name);
        return awaitStatus(name, "DELETED", TEARDOWN);
    }
}
