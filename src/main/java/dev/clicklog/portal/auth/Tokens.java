package dev.clicklog.portal.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.clicklog.portal.audit.AuditLog;
import dev.clicklog.portal.pipeline.InvalidPipelineException;
import dev.clicklog.portal.pipeline.Team;
import dev.clicklog.portal.pipeline.Violation;

/**
 * Access tokens for tooling. The secret is shown once, when the token is made; only its SHA-256
 * is stored. A token acts for one team with the role its scope grants, until it expires or is
 * revoked. People make and revoke tokens: one needs the role the token grants in its team (an
 * administrator any team's); a token cannot make tokens.
 */
@ApplicationScoped
public class Tokens {

    public static final String PREFIX = "clk_";
    public static final int DEFAULT_DAYS = 90;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9 ._:@-]{0,62}[A-Za-z0-9._:@-])?");
    /** How often a token's last use is written: at most once a minute, not on every call. */
    private static final Duration TOUCH = Duration.ofMinutes(1);

    private final AuthConfig.Tokens config;
    private final AuditLog audit;

    Tokens(AuthConfig config, AuditLog audit) {
        this.config = config.tokens();
        this.audit = audit;
    }

    @Transactional
    public TokenView create(TokenRequest r, Caller by) {
        List<Violation> violations = new ArrayList<>();
        if (r.name() == null || r.name().isBlank()) {
            violations.add(new Violation("name", "is required"));
        } else if (!NAME.matcher(r.name()).matches()) {
            violations.add(new Violation("name", "must be 1–64 letters, digits, spaces and . _ : @ -, starting and "
                    + "ending with a letter or digit"));
        }
        Optional<AccessToken.Scope> scope = scope(r.scope());
        if (scope.isEmpty()) {
            violations.add(new Violation("scope", r.scope() == null ? "is required" : "must be read or write"));
        }
        int days = r.expiresInDays() == null ? Math.min(DEFAULT_DAYS, config.maxDays()) : r.expiresInDays();
        if (days < 1 || days > config.maxDays()) {
            violations.add(new Violation("expiresInDays", "must be between 1 and " + config.maxDays()));
        }
        if (r.team() == null || r.team().isBlank()) {
            violations.add(new Violation("team", "is required"));
        }
        if (!violations.isEmpty()) {
            throw new InvalidPipelineException(violations);
        }
        TeamRole role = scope.get().role();
        if (!by.may(r.team(), role)) {
            throw AccessDenied.forbidden(by.roleIn(r.team()).isPresent()
                    ? "a " + scope.get().name().toLowerCase(Locale.ROOT) + " token of team " + r.team()
                            + " needs the team's member role"
                    : "you may make tokens only for your own teams");
        }
        Team team = Team.named(r.team()).orElseThrow(() -> new InvalidPipelineException(
                List.of(new Violation("team", "is not a team"))));
        String secret = Secrets.random(PREFIX);
        Instant now = Instant.now();
        AccessToken t = new AccessToken();
        t.name = r.name();
        t.teamId = team.id;
        t.scope = scope.get();
        t.secretHash = Secrets.sha256(secret);
        t.createdBy = by.name();
        t.createdAt = now;
        t.expiresAt = now.plus(Duration.ofDays(days));
        t.persist();
        audit.record(by.name(), by.kind().name(), "token.create", "token", t.name + " (#" + t.id + ")", team.name,
                t.scope.name().toLowerCase(Locale.ROOT) + ", expires " + t.expiresAt);
        return view(t, team.name, secret);
    }

    /** The tokens of the teams the caller may see (every team's for an administrator), newest first. */
    @Transactional
    public List<TokenView> list(Caller by) {
        Map<Long, String> teams = teamNames();
        return AccessToken.<AccessToken>list("order by id desc").stream()
                .filter(t -> by.roleIn(teams.get(t.teamId)).isPresent())
                .map(t -> view(t, teams.get(t.teamId), null)).toList();
    }

    /** Revokes a token of one of the caller's teams (any team's for an administrator); revoking twice changes nothing. */
    @Transactional
    public TokenView revoke(long id, Caller by) {
        AccessToken t = AccessToken.findById(id);
        String team = t == null ? null : Team.<Team>findById(t.teamId).name;
        if (t == null || by.roleIn(team).isEmpty()) {
            throw new NoSuchEntity("no token " + id);
        }
        if (!by.may(team, t.scope.role())) {
            throw AccessDenied.forbidden("revoking a " + t.scope.name().toLowerCase(Locale.ROOT) + " token of team "
                    + team + " needs the team's member role");
        }
        if (t.revokedAt == null) {
            t.revokedAt = Instant.now();
            audit.record(by.name(), by.kind().name(), "token.revoke", "token", t.name + " (#" + t.id + ")", team, null);
        }
        return view(t, team, null);
    }

    /**
     * The caller a token's secret stands for.
     *
     * @throws AccessDenied BAD_CREDENTIALS for an unknown, expired or revoked token
     */
    @Transactional
    public Caller authenticate(String secret) {
        AccessToken t = AccessToken.<AccessToken>find("secretHash", Secrets.sha256(secret)).firstResult();
        Instant now = Instant.now();
        if (t == null) {
            throw AccessDenied.badCredentials("unknown access token");
        }
        if (t.revokedAt != null) {
            throw AccessDenied.badCredentials("the access token was revoked");
        }
        if (!now.isBefore(t.expiresAt)) {
            throw AccessDenied.badCredentials("the access token expired at " + t.expiresAt);
        }
        if (t.lastUsedAt == null || now.isAfter(t.lastUsedAt.plus(TOUCH))) {
            t.lastUsedAt = now;
        }
        Team team = Team.findById(t.teamId);
        return Caller.token(t.name, team.name, t.scope.role());
    }

    private static Optional<AccessToken.Scope> scope(String value) {
        if (value == null) {
            return Optional.empty();
        }
        for (AccessToken.Scope s : AccessToken.Scope.values()) {
            if (s.name().equalsIgnoreCase(value.strip())) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    private static Map<Long, String> teamNames() {
        Map<Long, String> names = new HashMap<>();
        Team.<Team>listAll().forEach(t -> names.put(t.id, t.name));
        return names;
    }

    private static TokenView view(AccessToken t, String team, String secret) {
        Instant now = Instant.now();
        String state = t.revokedAt != null ? "revoked" : now.isBefore(t.expiresAt) ? "active" : "expired";
        return new TokenView(t.id, t.name, team, t.scope.name().toLowerCase(Locale.ROOT), state, t.createdBy,
                t.createdAt, t.expiresAt, t.lastUsedAt, t.revokedAt, secret);
    }
}
