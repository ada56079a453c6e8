package dev.clicklog.portal.auth;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A new access token (POST /api/tokens). */
@Schema(name = "TokenRequest")
public record TokenRequest(
        @Schema(required = true, examples = "deploy-bot", description = "1–64 characters: letters, digits, spaces and . _ : @ -")
        String name,
        @Schema(required = true, examples = "growth", description = "The team the token acts for")
        String team,
        @Schema(required = true, enumeration = { "read", "write" },
                description = "read: as the team's viewer; write: as the team's member")
        String scope,
        @Schema(description = "Days until it expires, 1 to clicklog.auth.tokens.max-days (default 90)")
        Integer expiresInDays) {
}
