package dev.clicklog.portal.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.clicklog.portal.observe.ObservedPipelines;
import dev.clicklog.portal.pipeline.PipelineApi;
import dev.clicklog.testing.Identities;
import dev.clicklog.testing.SignedIn;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/**
 * A pipeline's API key is in no list and in no answer to anyone outside its team's members: only
 * GET …/api-key shows it, to them. Tokens: shown once, listed without secrets, refused once expired
 * or revoked. The audit trail and a pipeline's history say who did what.
 */
@QuarkusTest
class ApiKeysAndAuditTest {

    @Test
    void anApiKeyIsShownOnlyToItsTeamsMembersOnRequest() {
        String team = Identities.unique("keys");
        String member = Identities.unique("keymember");
        String viewer = Identities.unique("keyviewer");
        String outsider = Identities.unique("outsider");
        Identities.team(team);
        Identities.user(member, Map.of(team, "member"));
        Identities.user(viewer, Map.of(team, "viewer"));
        Identities.user(outsider, Map.of());
        String name = PipelineApi.uniqueName("keyed");
        PipelineApi.create("{\"name\":\"" + name + "\",\"team\":\"" + team + "\",\"apiKeyRequired\":true}");
        PipelineApi.awaitStatus(name, "READY", ObservedPipelines.WAIT);
        String key = SignedIn.basic(member, Identities.PASSWORD).get("/api/pipelines/" + name + "/api-key")
                .then().statusCode(200).extract().jsonPath().getString("apiKey");
        assertNotNull(key);
        assertTrue(key.length() >= 20, key);

        // every JSON answer anyone gets about the pipeline, and the pages of those who may not see it
        List<RequestSpecification> callers = List.of(SignedIn.basic(SignedIn.ADMIN, SignedIn.ADMIN_PASSWORD),
                SignedIn.basic(member, Identities.PASSWORD), SignedIn.basic(viewer, Identities.PASSWORD),
                SignedIn.basic(outsider, Identities.PASSWORD));
        for (RequestSpecification caller : callers) {
            for (String path : List.of("/api/pipelines", "/api/pipelines?includeDeleted=true", "/api/pipelines/" + name,
                    "/api/pipelines/" + name + "/events", "/api/audit", "/api/tokens", "/api/users/me")) {
                String answer = caller.get(path).asString();
                assertFalse(answer.contains(key), path + " shows the API key");
            }
        }
        for (String path : List.of("/api/pipelines/" + name + "/api-key")) {
            SignedIn.basic(viewer, Identities.PASSWORD).get(path).then().statusCode(403);
            assertFalse(SignedIn.basic(viewer, Identities.PASSWORD).get(path).asString().contains(key));
            SignedIn.basic(outsider, Identities.PASSWORD).get(path).then().statusCode(404);
        }
        String viewerPage = SignedIn.session(SignedIn.signIn(viewer, Identities.PASSWORD)).get("/pipelines/" + name)
                .then().statusCode(200).extract().asString();
        assertFalse(viewerPage.contains(key), "a viewer's page shows the API key");
        assertTrue(viewerPage.contains("YOUR-API-KEY"), "the viewer's snippets show where the key goes");
        String memberPage = SignedIn.session(SignedIn.signIn(member, Identities.PASSWORD)).get("/pipelines/" + name)
                .then().statusCode(200).extract().asString();
        assertTrue(memberPage.contains(key), "a member's page shows the API key to send clicks with");
        // a write token of the team sees it, a read token does not
        Identities.Token write = Identities.token(SignedIn.basic(member, Identities.PASSWORD), team, "write", 1);
        Identities.Token read = Identities.token(SignedIn.basic(member, Identities.PASSWORD), team, "read", 1);
        assertEquals(key, SignedIn.bearer(write.secret()).get("/api/pipelines/" + name + "/api-key").jsonPath()
                .getString("apiKey"));
        SignedIn.bearer(read.secret()).get("/api/pipelines/" + name + "/api-key").then().statusCode(403);
        PipelineApi.delete(name);
    }

    @Test
    void tokensAreShownOnceActForTheirTeamAndEnd() {
        String team = Identities.unique("tooling");
        String member = Identities.unique("toolmaker");
        Identities.team(team);
        Identities.user(member, Map.of(team, "member"));
        RequestSpecification asMember = SignedIn.basic(member, Identities.PASSWORD);
        JsonPath made = asMember.contentType(ContentType.JSON)
                .body(Map.of("name", "deploy bot", "team", team, "scope", "write", "expiresInDays", 7))
                .post("/api/tokens").then().statusCode(201).extract().jsonPath();
        String secret = made.getString("secret");
        assertTrue(secret.startsWith("clk_"), secret);
        String list = SignedIn.basic(member, Identities.PASSWORD).get("/api/tokens").then().statusCode(200)
                .extract().asString();
        assertTrue(list.contains("deploy bot") && !list.contains(secret) && !list.contains("\"secret\""), list);

        // it acts for its team, as a member: creates a pipeline there, and nowhere else
        String name = PipelineApi.uniqueName("bot");
        SignedIn.bearer(secret).contentType(ContentType.JSON).body(Map.of("name", name, "team", team))
                .post("/api/pipelines").then().statusCode(201);
        SignedIn.bearer(secret).contentType(ContentType.JSON).body(Map.of("name", name + "-x", "team", "t"))
                .post("/api/pipelines").then().statusCode(403);
        SignedIn.bearer(secret).get("/api/users/me").then().statusCode(200)
                .body("kind", equalTo("TOKEN"))
                .body("teams." + team, equalTo("member"));
        // tokens cannot make tokens
        SignedIn.bearer(secret).contentType(ContentType.JSON)
                .body(Map.of("name", "child", "team", team, "scope", "read")).post("/api/tokens").then().statusCode(403);
        // the pipeline's history and the audit trail name the token
        JsonPath view = PipelineApi.get(name);
        assertEquals("token deploy bot", view.getString("events[0].actor"), view.prettify());
        List<Map<String, Object>> audit = given().get("/api/audit?team=" + team).then().statusCode(200).extract()
                .jsonPath().getList("events");
        assertTrue(audit.stream().anyMatch(e -> "pipeline.create".equals(e.get("action")) && "deploy bot".equals(e.get(
                "actor")) && "TOKEN".equals(e.get("actorKind")) && name.equals(e.get("target"))), audit.toString());
        assertTrue(audit.stream().anyMatch(e -> "token.create".equals(e.get("action")) && member.equals(e.get("actor"))),
                audit.toString());

        // revoked: refused from then on
        SignedIn.basic(member, Identities.PASSWORD).delete("/api/tokens/" + made.getLong("id")).then().statusCode(200)
                .body("state", equalTo("revoked"));
        SignedIn.bearer(secret).get("/api/pipelines").then().statusCode(401)
                .header("WWW-Authenticate", containsString("invalid_token"));
        // a token may not outlive the longest lifetime
        asMember.contentType(ContentType.JSON).body(Map.of("name", "forever", "team", team, "scope", "read",
                "expiresInDays", 100_000)).post("/api/tokens").then().statusCode(400);
        PipelineApi.delete(name);
    }

    @Test
    void theAuditTrailPagesThroughWhoDidWhat() {
        String team = Identities.unique("audited");
        Identities.team(team);
        String person = Identities.unique("audited-person");
        Identities.user(person, Map.of(team, "member"));
        String name = PipelineApi.uniqueName("audited");
        SignedIn.basic(person, Identities.PASSWORD).contentType(ContentType.JSON)
                .body(Map.of("name", name, "team", team)).post("/api/pipelines").then().statusCode(201);
        SignedIn.basic(person, Identities.PASSWORD).delete("/api/pipelines/" + name).then().statusCode(202);
        JsonPath first = given().get("/api/audit?limit=2").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("pipeline.delete", "pipeline.create"), first.getList("events.action"));
        assertEquals(List.of(person, person), first.getList("events.actor"));
        JsonPath next = given().get("/api/audit?limit=2&before=" + first.getLong("nextBefore")).then().statusCode(200)
                .extract().jsonPath();
        assertTrue(next.getList("events.action").contains("user.create"), next.prettify());
        JsonPath history = PipelineApi.get(name);
        assertTrue(history.getList("events.actor").contains(person), history.prettify());
        given().get("/api/audit?limit=0").then().statusCode(400);
    }
}
