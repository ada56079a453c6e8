package dev.clicklog.portal.auth;

import java.time.Instant;
import java.util.Optional;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A built-in account: a user name, a bcrypt hash of the password, whether it is an administrator or disabled. */
@Entity
@Table(name = "portal_user")
public class PortalUser extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String username;
    @Column(name = "password_hash")
    public String passwordHash;
    public boolean admin;
    public boolean disabled;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;

    static Optional<PortalUser> named(String username) {
        return find("username", username).firstResultOptional();
    }

    static boolean anyAdmin() {
        return count("admin = true") > 0;
    }
}
