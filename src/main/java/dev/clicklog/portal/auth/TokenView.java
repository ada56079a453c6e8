package dev.clicklog.portal.auth;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An access token as lists show it; {@code secret} only in the answer that created it. */
@Schema(name = "Token")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TokenView(
        long id,
        String name,
        String team,
        @Schema(enumeration = { "read", "write" }) String scope,
        @Schema(enumeration = { "active", "expired", "revoked" }) String state,
        String createdBy,
        Instant createdAt,
        Instant expiresAt,
        Instant lastUsedAt,
        Instant revokedAt,
        @Schema(description = "Only when the token was just created; send it as Authorization: Bearer <secret>. "
                + "It cannot be shown again.")
        String secret) {
}
