package dev.clicklog.portal.auth;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A token tooling calls the API with: it acts for one team, reading or writing, until it expires or is revoked. */
@Entity
@Table(name = "access_token")
public class AccessToken extends PanacheEntityBase {

    /** What a token may do in its team. */
    public enum Scope {
        /** As the team's viewer. */
        READ,
        /** As the team's member. */
        WRITE;

        TeamRole role() {
            return this == WRITE ? TeamRole.MEMBER : TeamRole.VIEWER;
        }
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String name;
    @Column(name = "team_id")
    public Long teamId;
    @Enumerated(EnumType.STRING)
    public Scope scope;
    /** SHA-256 of the secret, which itself is shown once, when the token is created. */
    @Column(name = "secret_hash")
    public String secretHash;
    @Column(name = "created_by")
    public String createdBy;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "expires_at")
    public Instant expiresAt;
    @Column(name = "revoked_at")
    public Instant revokedAt;
    @Column(name = "last_used_at")
    public Instant lastUsedAt;
}
