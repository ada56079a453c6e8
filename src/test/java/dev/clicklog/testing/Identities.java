package dev.clicklog.testing;

import static io.restassured.RestAssured.given;

import java.util.Map;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/** Teams, people and tokens made through the API, as the administrator (or a person) makes them. */
public final class Identities {

    /** A password good enough for the rules (12 characters or more). */
    public static final String PASSWORD = "correct horse battery";

    /** A token made here: its id (to revoke it) and its secret (to call with it). */
    public record Token(long id, String secret) {
    }

    private Identities() {
    }

    /** A name no other test uses. */
    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static void team(String name) {
        given().contentType(ContentType.JSON).body(Map.of("name", name)).post("/api/teams")
                .then().log().ifValidationFails().statusCode(201);
    }

    /** A built-in account with {@link #PASSWORD} and these team roles. */
    public static void user(String username, Map<String, String> teams) {
        given().contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", PASSWORD, "teams", teams))
                .post("/api/users").then().log().ifValidationFails().statusCode(201);
    }

    /** A token made by {@code by} (a signed-in person's request). */
    public static Token token(RequestSpecification by, String team, String scope, int days) {
        JsonPath made = by.contentType(ContentType.JSON)
                .body(Map.of("name", unique("tool"), "team", team, "scope", scope, "expiresInDays", days))
                .post("/api/tokens").then().log().ifValidationFails().statusCode(201).extract().jsonPath();
        return new Token(made.getLong("id"), made.getString("secret"));
    }
}
