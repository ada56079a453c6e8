package dev.clicklog.portal.web.api;

/**
 * The names of the ways the API takes credentials, as its OpenAPI description states them
 * (components.securitySchemes in META-INF/openapi.yaml, merged with the generated description);
 * each resource class requires one of them with {@code @SecurityRequirement}.
 */
final class ApiSecurity {

    static final String BEARER = "bearer";
    static final String BASIC = "basic";
    static final String SESSION = "session";

    private ApiSecurity() {
    }
}
