package dev.clicklog.portal.auth;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A team, and the caller's role in it (null for an administrator who is not a member). */
@Schema(name = "Team")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TeamView(String name, @Schema(enumeration = { "member", "viewer" }) String role, Instant createdAt) {
}
