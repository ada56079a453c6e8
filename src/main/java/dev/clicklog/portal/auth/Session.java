package dev.clicklog.portal.auth;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A signed-in browser: its cookie holds a secret, this row the secret's SHA-256. */
@Entity
@Table(name = "portal_session")
public class Session extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "secret_hash")
    public String secretHash;
    @Column(name = "user_id")
    public Long userId;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "last_seen_at")
    public Instant lastSeenAt;
    @Column(name = "expires_at")
    public Instant expiresAt;
}
