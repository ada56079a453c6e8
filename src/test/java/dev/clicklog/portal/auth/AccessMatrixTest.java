package dev.clicklog.portal.auth;

import static dev.clicklog.testing.SignedIn.anonymous;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import dev.clicklog.portal.pipeline.PipelineApi;
import dev.clicklog.testing.Identities;
import dev.clicklog.testing.SignedIn;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Every route of the portal — each REST resource method and each page, found in the application's
 * own classes, so a route added without a case here fails this test — called by each kind of
 * caller: the administrator, a member and a viewer of the pipeline's team, a member of another
 * team, nobody, and tokens expired, revoked and of read scope. Each answer must be the one the
 * rules give; after each refusal, nothing has changed (the teams' pipelines, the teams, the users,
 * the tokens, the audit trail).
 */
@QuarkusTest
class AccessMatrixTest {

    /** Who calls; those most often refused first, so an allowed change comes after the refusals of a route. */
    enum Who {
        ANONYMOUS, EXPIRED_TOKEN, REVOKED_TOKEN, READ_TOKEN, VIEWER, OTHER_TEAM, MEMBER, ADMIN;

        boolean token() {
            return this == EXPIRED_TOKEN || this == REVOKED_TOKEN || this == READ_TOKEN;
        }

        boolean person() {
            return this == VIEWER || this == OTHER_TEAM || this == MEMBER || this == ADMIN;
        }
    }

    /** What a route needs, as docs/security.md states the rules. */
    enum Needs {
        /** Anyone; the answer depends on who (given per route). */
        PUBLIC,
        SIGNED_IN,
        PERSON,
        ADMIN,
        /** The viewer role in the pipeline's team. */
        READ,
        /** The member role in the pipeline's team. */
        CHANGE,
        /** The member role in the team the request names. */
        CREATE,
        /** A person with the role the token grants (read: viewer) in the team named. */
        MAKE_TOKEN,
        /** A person with a role in the token's team. */
        REVOKE_TOKEN
    }

    /** A request: method, path, and a form or JSON body (null: none). */
    record Call(String method, String path, ContentType type, Object body) {
    }

    /** How a route is called, what it needs, and what it answers an allowed caller. */
    record Case(Needs needs, int allowed, Function<Who, Call> call, Function<Who, Integer> publicAnswer) {

        static Case of(Needs needs, int allowed, Function<Who, Call> call) {
            return new Case(needs, allowed, call, null);
        }
    }

    private static final Duration READY = Duration.ofSeconds(60);
    private static final List<String> FAILURES = new ArrayList<>();

    private static Fixture fixture;

    /** The matrix' own teams, people, tokens and pipelines. */
    record Fixture(String alpha, String beta, String member, String viewer, String other, String pipeline,
            String doomed, Map<Who, Identities.Token> tokens, Identities.Token victim, Map<Who, String> sessions) {
    }

    @BeforeEach
    void prepare() {
        if (fixture != null) {
            return;
        }
        String alpha = Identities.unique("alpha");
        String beta = Identities.unique("beta");
        Identities.team(alpha);
        Identities.team(beta);
        String member = Identities.unique("member");
        String viewer = Identities.unique("viewer");
        String other = Identities.unique("other");
        Identities.user(member, Map.of(alpha, "member"));
        Identities.user(viewer, Map.of(alpha, "viewer"));
        Identities.user(other, Map.of(beta, "member"));
        RequestSpecification asMember = SignedIn.basic(member, Identities.PASSWORD);
        Map<Who, Identities.Token> tokens = new EnumMap<>(Who.class);
        tokens.put(Who.READ_TOKEN, Identities.token(asMember, alpha, "read", 30));
        tokens.put(Who.REVOKED_TOKEN, Identities.token(SignedIn.basic(member, Identities.PASSWORD), alpha, "write", 30));
        tokens.put(Who.EXPIRED_TOKEN, Identities.token(SignedIn.basic(member, Identities.PASSWORD), alpha, "write", 1));
        SignedIn.basic(member, Identities.PASSWORD).delete("/api/tokens/" + tokens.get(Who.REVOKED_TOKEN).id())
                .then().statusCode(200);
        long expired = tokens.get(Who.EXPIRED_TOKEN).id();
        QuarkusTransaction.requiringNew().run(() -> AccessToken.update("expiresAt = ?1 where id = ?2",
                Instant.now().minus(1, ChronoUnit.MINUTES), expired));
        Identities.Token victim = Identities.token(SignedIn.basic(member, Identities.PASSWORD), alpha, "read", 30);

        String pipeline = PipelineApi.uniqueName("matrix");
        String doomed = PipelineApi.uniqueName("doomed");
        for (String name : List.of(pipeline, doomed)) {
            PipelineApi.create("{\"name\":\"" + name + "\",\"team\":\"" + alpha + "\",\"apiKeyRequired\":true,"
                    + "\"bufferIntervalSeconds\":1,\"bufferSizeMb\":1}");
        }
        PipelineApi.awaitStatus(pipeline, "READY", READY);
        PipelineApi.awaitStatus(doomed, "READY", READY);

        Map<Who, String> sessions = new EnumMap<>(Who.class);
        sessions.put(Who.ADMIN, SignedIn.signIn(SignedIn.ADMIN, SignedIn.ADMIN_PASSWORD));
        sessions.put(Who.MEMBER, SignedIn.signIn(member, Identities.PASSWORD));
        sessions.put(Who.VIEWER, SignedIn.signIn(viewer, Identities.PASSWORD));
        sessions.put(Who.OTHER_TEAM, SignedIn.signIn(other, Identities.PASSWORD));
        fixture = new Fixture(alpha, beta, member, viewer, other, pipeline, doomed, tokens, victim, sessions);
    }

    @Test
    void everyRouteAnswersEveryCallerAsTheRulesSay() {
        Map<String, Case> cases = cases(fixture);
        List<String> routes = routes();
        assertEquals(new TreeSet<>(cases.keySet()), new TreeSet<>(routes),
                "every route of the application has a case here, and every case is a route");
        // The teardown last: nothing it starts may change while other routes are checked.
        routes.sort(Comparator.comparing((String r) -> r.equals("DELETE /api/pipelines/{name}")).thenComparing(r -> r));
        FAILURES.clear();
        int calls = 0;
        for (String route : routes) {
            Case c = cases.get(route);
            for (Who who : Who.values()) {
                Call call = c.call().apply(who);
                boolean page = !call.path().startsWith("/api");
                int expected = expected(c, who, page);
                boolean refusal = refused(c, who, page);
                Map<String, Object> before = refusal ? snapshot() : null;
                Response answer = send(who, call, c.needs() == Needs.PUBLIC);
                calls++;
                if (answer.statusCode() != expected) {
                    FAILURES.add(route + " as " + who + ": " + answer.statusCode() + ", expected " + expected + " — "
                            + abbreviate(answer.asString()));
                }
                if (refusal) {
                    Map<String, Object> after = snapshot();
                    if (!before.equals(after)) {
                        FAILURES.add(route + " as " + who + " was refused, yet changed something:\n  before " + before
                                + "\n  after  " + after);
                    }
                    if (!page && answer.statusCode() == 401) {
                        String challenge = answer.header("WWW-Authenticate");
                        if (challenge == null || !challenge.contains("Bearer")) {
                            FAILURES.add(route + " as " + who + ": 401 without a Bearer challenge: " + challenge);
                        }
                    }
                    if (!page && answer.contentType() != null && !answer.contentType().startsWith("application/json")) {
                        FAILURES.add(route + " as " + who + ": a refusal of the API not in JSON: " + answer.contentType());
                    }
                }
            }
        }
        System.out.printf("access matrix: %d routes × %d callers, %d calls%n", routes.size(), Who.values().length, calls);
        assertTrue(FAILURES.isEmpty(), () -> FAILURES.size() + " answers differ from the rules:\n"
                + String.join("\n", FAILURES));
    }

    @Test
    void anUnknownAddressTellsNobodyAnything() {
        anonymous().get("/api/no-such-thing").then().statusCode(401);
        anonymous().redirects().follow(false).get("/no-such-page").then().statusCode(303);
        anonymous().get("/q/health/ready").then().statusCode(200);
        Map<String, Object> schemes = anonymous().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .extract().jsonPath().getMap("components.securitySchemes");
        assertEquals(new TreeSet<>(List.of("basic", "bearer", "session")), new TreeSet<>(schemes.keySet()),
                "the API's description states how to sign in");
        SignedIn.basic(fixture.member(), Identities.PASSWORD).get("/api/no-such-thing").then().statusCode(404);
    }

    @Test
    void peopleSeeOnlyTheirTeamsPipelines() {
        List<String> asOther = SignedIn.basic(fixture.other(), Identities.PASSWORD).get("/api/pipelines")
                .then().statusCode(200).extract().jsonPath().getList("team");
        assertTrue(asOther.stream().allMatch(fixture.beta()::equals), asOther.toString());
        List<String> asViewer = SignedIn.basic(fixture.viewer(), Identities.PASSWORD).get("/api/pipelines")
                .then().statusCode(200).extract().jsonPath().getList("name");
        assertTrue(asViewer.contains(fixture.pipeline()), asViewer.toString());
        String page = SignedIn.session(fixture.sessions().get(Who.OTHER_TEAM)).get("/").then().statusCode(200)
                .extract().asString();
        assertTrue(!page.contains(fixture.pipeline()), "another team's pipeline listed on the page");
        List<String> asAdmin = given().get("/api/pipelines").then().statusCode(200).extract().jsonPath().getList("name");
        assertTrue(asAdmin.contains(fixture.pipeline()), asAdmin.toString());
    }

    private static int expected(Case c, Who who, boolean page) {
        if (c.needs() == Needs.PUBLIC) {
            return c.publicAnswer().apply(who);
        }
        if (who == Who.ANONYMOUS || page && who.token()) {
            return page ? 303 : 401;
        }
        if (who == Who.EXPIRED_TOKEN || who == Who.REVOKED_TOKEN) {
            return 401;
        }
        return switch (c.needs()) {
            case SIGNED_IN -> c.allowed();
            case PERSON -> who.person() ? c.allowed() : 403;
            case ADMIN -> who == Who.ADMIN ? c.allowed() : 403;
            case READ -> who == Who.OTHER_TEAM ? 404 : c.allowed();
            case CHANGE -> who == Who.OTHER_TEAM ? 404 : who == Who.VIEWER || who == Who.READ_TOKEN ? 403 : c.allowed();
            case CREATE -> who == Who.ADMIN || who == Who.MEMBER ? c.allowed() : 403;
            case MAKE_TOKEN -> who == Who.READ_TOKEN || who == Who.OTHER_TEAM ? 403 : c.allowed();
            case REVOKE_TOKEN -> who == Who.READ_TOKEN ? 403 : who == Who.OTHER_TEAM ? 404 : c.allowed();
            case PUBLIC -> throw new IllegalStateException();
        };
    }

    private static boolean refused(Case c, Who who, boolean page) {
        return c.needs() != Needs.PUBLIC && expected(c, who, page) != c.allowed();
    }

    private static Response send(Who who, Call call, boolean publicRoute) {
        boolean page = !call.path().startsWith("/api");
        RequestSpecification r = switch (who) {
            case ANONYMOUS -> anonymous();
            case EXPIRED_TOKEN, REVOKED_TOKEN, READ_TOKEN -> SignedIn.bearer(fixture.tokens().get(who).secret());
            case ADMIN -> page ? session(who, publicRoute) : SignedIn.basic(SignedIn.ADMIN, SignedIn.ADMIN_PASSWORD);
            case MEMBER -> page ? session(who, publicRoute) : SignedIn.basic(fixture.member(), Identities.PASSWORD);
            case VIEWER -> page ? session(who, publicRoute) : SignedIn.basic(fixture.viewer(), Identities.PASSWORD);
            case OTHER_TEAM -> page ? session(who, publicRoute) : SignedIn.basic(fixture.other(), Identities.PASSWORD);
        };
        r = r.redirects().follow(false);
        if (call.body() instanceof Map<?, ?> form && call.type() == ContentType.URLENC) {
            r = r.contentType(ContentType.URLENC);
            for (Map.Entry<?, ?> e : form.entrySet()) {
                r = r.formParam(e.getKey().toString(), e.getValue());
            }
        } else if (call.body() != null) {
            r = r.contentType(call.type()).body(call.body());
        }
        return r.request(call.method(), call.path());
    }

    /** A person's session on the pages; on the public sign-in and sign-out, none (they would end it). */
    private static RequestSpecification session(Who who, boolean publicRoute) {
        return publicRoute ? anonymous() : SignedIn.session(fixture.sessions().get(who));
    }

    /** What a refusal must leave as it was, read as the administrator. */
    private static Map<String, Object> snapshot() {
        Map<String, Object> s = new LinkedHashMap<>();
        for (String team : List.of(fixture.alpha(), fixture.beta())) {
            s.put("pipelines of " + team, new TreeSet<>(given().get("/api/pipelines?includeDeleted=true&team=" + team)
                    .then().statusCode(200).extract().jsonPath().getList("name")));
        }
        for (String p : List.of(fixture.pipeline(), fixture.doomed())) {
            JsonPath view = given().get("/api/pipelines/" + p).then().statusCode(200).extract().jsonPath();
            s.put(p, view.getString("status") + ", " + view.getLong("eventCount") + " events");
        }
        s.put("teams", new TreeSet<>(given().get("/api/teams").then().statusCode(200).extract().jsonPath().getList("name")));
        Map<String, Object> users = new TreeMap<>();
        given().get("/api/users").then().statusCode(200).extract().jsonPath().getList("$", Map.class)
                .forEach(u -> users.put((String) u.get("username"), List.of(u.get("admin"), u.get("disabled"),
                        u.get("teams"))));
        s.put("users", users);
        Map<Object, Object> tokens = new TreeMap<>();
        given().get("/api/tokens").then().statusCode(200).extract().jsonPath().getList("$", Map.class)
                .forEach(t -> tokens.put(((Number) t.get("id")).longValue(), t.get("state")));
        s.put("tokens", tokens);
        s.put("newest audit entry", given().get("/api/audit?limit=1").then().statusCode(200).extract().jsonPath()
                .getList("events.id"));
        return s;
    }

    /** The routes of the application: every resource method, as "METHOD /template". */
    private static List<String> routes() {
        List<String> routes = new ArrayList<>();
        new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.clicklog.portal").stream()
                .filter(c -> c.isAnnotatedWith(Path.class) && !c.isNestedClass())
                .forEach(c -> {
                    Class<?> resource;
                    try {
                        resource = Class.forName(c.getName(), false, AccessMatrixTest.class.getClassLoader());
                    } catch (ClassNotFoundException e) {
                        throw new AssertionError(e);
                    }
                    for (Method m : resource.getDeclaredMethods()) {
                        Arrays.stream(m.getAnnotations()).map(Annotation::annotationType)
                                .filter(t -> t.isAnnotationPresent(HttpMethod.class))
                                .forEach(t -> routes.add(t.getAnnotation(HttpMethod.class).value() + " "
                                        + AccessRules.template(resource, m)));
                    }
                });
        return routes;
    }

    private static Map<String, Case> cases(Fixture f) {
        String p = "/api/pipelines/" + f.pipeline();
        String page = "/pipelines/" + f.pipeline();
        Map<String, Case> cases = new TreeMap<>();
        // The REST API
        cases.put("POST /api/pipelines", Case.of(Needs.CREATE, 201, who -> json("POST", "/api/pipelines",
                Map.of("name", PipelineApi.uniqueName("made"), "team", f.alpha()))));
        cases.put("GET /api/pipelines", Case.of(Needs.SIGNED_IN, 200, who -> get("/api/pipelines")));
        cases.put("GET /api/pipelines/{name}", Case.of(Needs.READ, 200, who -> get(p)));
        cases.put("GET /api/pipelines/{name}/events", Case.of(Needs.READ, 200, who -> get(p + "/events")));
        cases.put("GET /api/pipelines/{name}/cost", Case.of(Needs.READ, 200, who -> get(p + "/cost")));
        // a field that cannot change: a 400 only a caller allowed to change gets, and nothing changes
        cases.put("PATCH /api/pipelines/{name}", Case.of(Needs.CHANGE, 400, who -> json("PATCH", p,
                Map.of("name", "renamed"))));
        cases.put("POST /api/cost-estimates", Case.of(Needs.SIGNED_IN, 200, who -> json("POST", "/api/cost-estimates",
                Map.of("expectedClicksPerSecond", 10))));
        cases.put("DELETE /api/pipelines/{name}", Case.of(Needs.CHANGE, 202,
                who -> new Call("DELETE", "/api/pipelines/" + f.doomed(), null, null)));
        cases.put("POST /api/pipelines/{name}/retry", Case.of(Needs.CHANGE, 409, who -> post(p + "/retry")));
        cases.put("GET /api/pipelines/{name}/api-key", Case.of(Needs.CHANGE, 200, who -> get(p + "/api-key")));
        cases.put("GET /api/pipelines/{name}/metrics", Case.of(Needs.READ, 200, who -> get(p + "/metrics")));
        cases.put("GET /api/pipelines/{name}/records", Case.of(Needs.READ, 200, who -> get(p + "/records")));
        cases.put("GET /api/pipelines/{name}/records/activity", Case.of(Needs.READ, 200,
                who -> get(p + "/records/activity")));
        // a malformed since: the feed's 400 (a valid one would never end)
        cases.put("GET /api/pipelines/{name}/records/feed", Case.of(Needs.READ, 400,
                who -> get(p + "/records/feed?since=soon")));
        cases.put("GET /api/pipelines/{name}/records/{shardId}/{sequenceNumber}", Case.of(Needs.READ, 400,
                who -> get(p + "/records/no-shard/1")));
        cases.put("GET /api/pipelines/{name}/refused", Case.of(Needs.READ, 200, who -> get(p + "/refused")));
        cases.put("GET /api/pipelines/{name}/objects", Case.of(Needs.READ, 200, who -> get(p + "/objects")));
        // without a key: a 400 only a caller allowed to read gets
        cases.put("GET /api/pipelines/{name}/objects/preview", Case.of(Needs.READ, 400, who -> get(p + "/objects/preview")));
        cases.put("GET /api/pipelines/{name}/objects/download-url", Case.of(Needs.READ, 400,
                who -> get(p + "/objects/download-url")));
        cases.put("POST /api/pipelines/{name}/test-click", Case.of(Needs.CHANGE, 200, who -> post(p + "/test-click")));
        cases.put("POST /api/teams", Case.of(Needs.ADMIN, 201, who -> json("POST", "/api/teams",
                Map.of("name", Identities.unique("team")))));
        cases.put("GET /api/teams", Case.of(Needs.SIGNED_IN, 200, who -> get("/api/teams")));
        cases.put("GET /api/users/me", Case.of(Needs.SIGNED_IN, 200, who -> get("/api/users/me")));
        cases.put("POST /api/users", Case.of(Needs.ADMIN, 201, who -> json("POST", "/api/users",
                Map.of("username", Identities.unique("new"), "password", Identities.PASSWORD))));
        cases.put("GET /api/users", Case.of(Needs.ADMIN, 200, who -> get("/api/users")));
        cases.put("GET /api/users/{username}", Case.of(Needs.ADMIN, 200, who -> get("/api/users/" + f.viewer())));
        cases.put("PATCH /api/users/{username}", Case.of(Needs.ADMIN, 200, who -> json("PATCH",
                "/api/users/" + f.viewer(), Map.of("teams", Map.of(f.alpha(), "viewer")))));
        cases.put("POST /api/tokens", Case.of(Needs.MAKE_TOKEN, 201, who -> json("POST", "/api/tokens",
                Map.of("name", Identities.unique("tool"), "team", f.alpha(), "scope", "read"))));
        cases.put("GET /api/tokens", Case.of(Needs.PERSON, 200, who -> get("/api/tokens")));
        cases.put("DELETE /api/tokens/{id}", Case.of(Needs.REVOKE_TOKEN, 200,
                who -> new Call("DELETE", "/api/tokens/" + f.victim().id(), null, null)));
        cases.put("GET /api/audit", Case.of(Needs.ADMIN, 200, who -> get("/api/audit")));
        cases.put("GET /api/endpoint", Case.of(Needs.SIGNED_IN, 200, who -> get("/api/endpoint")));
        // The pages
        cases.put("GET /", Case.of(Needs.SIGNED_IN, 200, who -> get("/")));
        cases.put("GET /sign-in", new Case(Needs.PUBLIC, 200, who -> get("/sign-in"), who -> 200));
        cases.put("POST /sign-in", new Case(Needs.PUBLIC, 303, who -> form("/sign-in",
                Map.of("username", f.member(), "password", Identities.PASSWORD)), who -> 303));
        cases.put("POST /sign-out", new Case(Needs.PUBLIC, 303, who -> post("/sign-out"), who -> 303));
        cases.put("GET /pipelines/new", Case.of(Needs.PERSON, 200, who -> get("/pipelines/new")));
        cases.put("POST /pipelines/new", Case.of(Needs.CREATE, 303, who -> form("/pipelines/new",
                Map.of("name", PipelineApi.uniqueName("form"), "team", f.alpha()))));
        cases.put("GET /pipelines/{name}", Case.of(Needs.READ, 200, who -> get(page)));
        cases.put("GET /pipelines/{name}/status", Case.of(Needs.READ, 200, who -> get(page + "/status")));
        cases.put("POST /pipelines/{name}/test-click", Case.of(Needs.CHANGE, 200, who -> post(page + "/test-click")));
        cases.put("POST /pipelines/{name}/retry", Case.of(Needs.CHANGE, 303, who -> post(page + "/retry")));
        cases.put("GET /pipelines/{name}/delete", Case.of(Needs.CHANGE, 200, who -> get(page + "/delete")));
        // a wrong confirmation: a 400 only a caller allowed to delete gets, and nothing is deleted
        cases.put("POST /pipelines/{name}/delete", Case.of(Needs.CHANGE, 400, who -> form(page + "/delete",
                Map.of("confirm", "not-the-name"))));
        cases.put("GET /pipelines/{name}/edit", Case.of(Needs.CHANGE, 200, who -> get(page + "/edit")));
        // a shard count that is not a number: the form again (400), nothing changed
        cases.put("POST /pipelines/{name}/edit", Case.of(Needs.CHANGE, 400, who -> form(page + "/edit",
                Map.of("capacity", "shards", "shards", "many"))));
        cases.put("POST /pipelines/{name}/edit/estimate", Case.of(Needs.CHANGE, 200, who -> form(page + "/edit/estimate",
                Map.of("capacity", "shards", "shards", "2"))));
        // a live pipeline has no kept clicks to purge: back to its overview
        cases.put("GET /pipelines/{name}/purge", Case.of(Needs.CHANGE, 303, who -> get(page + "/purge")));
        cases.put("POST /pipelines/{name}/purge", Case.of(Needs.CHANGE, 400, who -> form(page + "/purge",
                Map.of("confirm", "not-the-phrase"))));
        cases.put("POST /pipelines/new/estimate", Case.of(Needs.PERSON, 200, who -> form("/pipelines/new/estimate",
                Map.of("capacity", "shards", "shards", "2"))));
        cases.put("GET /pipelines/{name}/metrics", Case.of(Needs.READ, 200, who -> get(page + "/metrics")));
        cases.put("GET /pipelines/{name}/records", Case.of(Needs.READ, 200, who -> get(page + "/records")));
        cases.put("GET /pipelines/{name}/records/activity", Case.of(Needs.READ, 200,
                who -> get(page + "/records/activity")));
        // no shard nor sequence number: 400
        cases.put("GET /pipelines/{name}/records/whole", Case.of(Needs.READ, 400, who -> get(page + "/records/whole")));
        cases.put("GET /pipelines/{name}/refused", Case.of(Needs.READ, 200, who -> get(page + "/refused")));
        cases.put("GET /pipelines/{name}/refused/rows", Case.of(Needs.READ, 200, who -> get(page + "/refused/rows")));
        // a malformed since: the live stream's 400 (a valid one would never end)
        cases.put("GET /pipelines/{name}/records/stream", Case.of(Needs.READ, 400,
                who -> get(page + "/records/stream?since=soon")));
        cases.put("GET /pipelines/{name}/objects", Case.of(Needs.READ, 200, who -> get(page + "/objects")));
        cases.put("GET /pipelines/{name}/objects/preview", Case.of(Needs.READ, 400, who -> get(page + "/objects/preview")));
        cases.put("GET /pipelines/{name}/objects/download", Case.of(Needs.READ, 400, who -> get(page + "/objects/download")));
        return cases;
    }

    private static Call get(String path) {
        return new Call("GET", path, null, null);
    }

    private static Call post(String path) {
        return new Call("POST", path, null, null);
    }

    private static Call json(String method, String path, Map<String, ?> body) {
        return new Call(method, path, ContentType.JSON, body);
    }

    private static Call form(String path, Map<String, ?> body) {
        return new Call("POST", path, ContentType.URLENC, body);
    }

    private static String abbreviate(String body) {
        String flat = body.replaceAll("\\s+", " ");
        return flat.length() > 200 ? flat.substring(0, 200) + "…" : flat;
    }
}
