package dev.clicklog.portal.auth;

import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A new built-in account (POST /api/users), or a change to one (PATCH: only the fields given change). */
@Schema(name = "UserRequest")
public record UserRequest(
        @Schema(examples = "alice", description = "1–64 letters, digits and . _ @ -, starting with a letter or digit; "
                + "only when creating")
        String username,
        @Schema(description = "At least 12 characters, at most 72 bytes in UTF-8; stored only as a bcrypt hash")
        String password,
        @Schema(description = "Whether the account is the portal's administrator (default false)")
        Boolean admin,
        @Schema(description = "A disabled account cannot sign in; its sessions end (default false)")
        Boolean disabled,
        @Schema(description = "Team → role (member or viewer); replaces every membership. A team that does not "
                + "exist yet is created.", examples = "{\"growth\": \"member\", \"web\": \"viewer\"}")
        Map<String, String> teams) {
}
