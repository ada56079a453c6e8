package dev.clicklog.portal.web.api;

import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeIn;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.security.SecuritySchemes;

/**
 * The ways the API takes credentials, as its OpenAPI description states them; each resource class
 * requires one of them ({@code @SecurityRequirement} on it). Who may call what is docs/security.md's.
 */
@SecuritySchemes({
        @SecurityScheme(securitySchemeName = ApiSecurity.BEARER, type = SecuritySchemeType.HTTP, scheme = "bearer",
                description = "An access token (clk_…, POST /api/tokens) acting for one team; in oidc mode also the "
                        + "identity provider's access token"),
        @SecurityScheme(securitySchemeName = ApiSecurity.BASIC, type = SecuritySchemeType.HTTP, scheme = "basic",
                description = "A built-in account's user name and password (built-in accounts only)"),
        @SecurityScheme(securitySchemeName = ApiSecurity.SESSION, type = SecuritySchemeType.APIKEY,
                in = SecuritySchemeIn.COOKIE, apiKeyName = "clicklog_session",
                description = "The session cookie of a browser signed in at /sign-in") })
final class ApiSecurity {

    static final String BEARER = "bearer";
    static final String BASIC = "basic";
    static final String SESSION = "session";

    private ApiSecurity() {
    }
}
