package dev.clicklog.portal.auth;

import java.time.Instant;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A person as the API shows them; never their password or its hash. */
@Schema(name = "User")
public record UserView(
        @Schema(examples = "alice") String username,
        @Schema(description = "builtin (an account of the portal) or oidc (the identity provider's)") String source,
        @Schema(description = "A person or an access token") Caller.Kind kind,
        boolean admin,
        boolean disabled,
        @Schema(description = "Team → role (member or viewer)", examples = "{\"growth\": \"member\"}")
        Map<String, String> teams,
        Instant createdAt) {
}
