package dev.clicklog.portal.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.hibernate.exception.ConstraintViolationException;

import dev.clicklog.portal.audit.AuditLog;
import dev.clicklog.portal.pipeline.InvalidPipelineException;
import dev.clicklog.portal.pipeline.PipelineConflictException;
import dev.clicklog.portal.pipeline.PipelineSpec;
import dev.clicklog.portal.pipeline.Team;
import dev.clicklog.portal.pipeline.Violation;

/**
 * Built-in accounts: checking a password (slowed down after failures, see {@link SignInThrottle}),
 * and the administrator's use cases — create, change, disable, list. Every change is audited.
 */
@ApplicationScoped
public class Accounts {

    public static final String ADMINISTRATOR = "admin";
    private static final Duration ADMINISTRATOR_WAIT = Duration.ofSeconds(30);
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

    private final Passwords passwords;
    private final SignInThrottle throttle;
    private final AuditLog audit;
    /**
     * A hash to check unknown accounts' passwords against, so a wrong name costs what a wrong password
     * does. Made on first need or by {@link #prepare}, not at start: bcrypt is the slowest thing a start does.
     */
    private volatile String decoyHash;
    /** Completed once the first administrator exists (or was not to be made); sign-ins wait for it. */
    private final CompletableFuture<Void> administrator = new CompletableFuture<>();

    Accounts(Passwords passwords, SignInThrottle throttle, AuditLog audit) {
        this.passwords = passwords;
        this.throttle = throttle;
        this.audit = audit;
    }

    /** A signed-in person: who they are and the account behind them. */
    public record SignedIn(long userId, Caller caller) {
    }

    /**
     * Checks a user name and password.
     *
     * @throws AccessDenied THROTTLED while the account or the address must wait, BAD_CREDENTIALS when
     *         the name, the password or the account's state is wrong (one message for all three)
     */
    public SignedIn signIn(String username, String password, String address) {
        awaitAdministrator();
        String account = username == null ? "" : username;
        Optional<Duration> wait = throttle.wait(account, address);
        if (wait.isPresent()) {
            throw AccessDenied.throttled(wait.get());
        }
        Optional<SignedIn> found = check(account, password == null ? "" : password);
        if (found.isEmpty()) {
            throttle.failed(account, address);
            throw AccessDenied.badCredentials("wrong user name or password");
        }
        throttle.succeeded(account, address);
        return found.get();
    }

    @Transactional
    Optional<SignedIn> check(String username, String password) {
        Optional<PortalUser> user = PortalUser.named(username);
        String hash = user.isPresent() ? user.get().passwordHash : decoyHash();
        boolean matches = passwords.matches(password, hash);
        if (user.isEmpty() || !matches || user.get().disabled) {
            return Optional.empty();
        }
        return Optional.of(new SignedIn(user.get().id, caller(user.get())));
    }

    private String decoyHash() {
        String hash = decoyHash;
        if (hash == null) {
            synchronized (this) {
                if (decoyHash == null) {
                    decoyHash = passwords.hash(Secrets.password());
                }
                hash = decoyHash;
            }
        }
        return hash;
    }

    /**
     * What start-up leaves for after it, on a background thread: the first administrator when there is
     * none (bcrypt hashing it would delay readiness by most of a second), then the decoy hash. A sign-in
     * arriving meanwhile waits for the administrator, so none is refused for being early.
     */
    void prepare(Optional<String> configured, Consumer<String> madePassword) {
        try {
            ensureAdministrator(configured).ifPresent(madePassword);
        } finally {
            administrator.complete(null);
        }
        decoyHash();
    }

    /** Built-in accounts are not in use (oidc, or authorization off): no sign-in waits for one. */
    void noAdministrator() {
        administrator.complete(null);
    }

    private void awaitAdministrator() {
        try {
            administrator.get(ADMINISTRATOR_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AccessDenied.badCredentials("interrupted while the first administrator was being created");
        } catch (ExecutionException | TimeoutException e) {
            // Not made (its failure is logged): the sign-in goes on and finds no such account.
        }
    }

    /** The person behind a session: empty when the account is gone or disabled. */
    @Transactional
    public Optional<Caller> caller(long userId) {
        PortalUser u = PortalUser.findById(userId);
        return u == null || u.disabled ? Optional.empty() : Optional.of(caller(u));
    }

    static Caller caller(PortalUser u) {
        return Caller.user(u.username, u.admin, Membership.teamsOf(u.id));
    }

    /**
     * Creates the administrator {@code admin} when there is no administrator at all, with the given
     * password or a random one; answers the password only when it made one.
     */
    @Transactional
    public Optional<String> ensureAdministrator(Optional<String> configured) {
        if (PortalUser.anyAdmin() || PortalUser.named(ADMINISTRATOR).isPresent()) {
            return Optional.empty();
        }
        String password = configured.filter(p -> !p.isBlank()).orElseGet(Secrets::password);
        PortalUser u = newUser(ADMINISTRATOR, password, true);
        try {
            u.persistAndFlush();
        } catch (ConstraintViolationException e) {
            // Another replica created it at the same moment.
            return Optional.empty();
        }
        audit.record("portal", "USER", "user.create", "user", ADMINISTRATOR, null, "the first administrator");
        return configured.filter(p -> !p.isBlank()).isPresent() ? Optional.empty() : Optional.of(password);
    }

    @Transactional
    public UserView create(UserRequest r, Caller by) {
        List<Violation> violations = new ArrayList<>();
        String username = r.username();
        if (username == null || username.isEmpty()) {
            violations.add(new Violation("username", "is required"));
        } else if (!USERNAME.matcher(username).matches()) {
            violations.add(new Violation("username",
                    "must be 1–64 letters, digits and . _ @ -, starting with a letter or digit"));
        }
        Passwords.problem(r.password()).ifPresent(p -> violations.add(new Violation("password", p)));
        Map<String, TeamRole> teams = teams(r.teams(), violations);
        if (!violations.isEmpty()) {
            throw new InvalidPipelineException(violations);
        }
        if (PortalUser.named(username).isPresent()) {
            throw new PipelineConflictException("a user named '" + username + "' exists already");
        }
        PortalUser u = newUser(username, r.password(), Boolean.TRUE.equals(r.admin()));
        u.disabled = Boolean.TRUE.equals(r.disabled());
        try {
            u.persistAndFlush();
        } catch (ConstraintViolationException e) {
            throw new PipelineConflictException("a user named '" + username + "' exists already");
        }
        setTeams(u, teams, by);
        audit.record(by.name(), by.kind().name(), "user.create", "user", username, null, describe(u, teams));
        return view(u);
    }

    /** Changes the fields given; a new password or disabling ends the account's sessions. */
    @Transactional
    public UserView update(String username, UserRequest r, Caller by) {
        PortalUser u = PortalUser.named(username).orElseThrow(() -> new NoSuchEntity("no user named '" + username + "'"));
        List<Violation> violations = new ArrayList<>();
        if (r.username() != null && !r.username().equals(username)) {
            violations.add(new Violation("username", "cannot be changed"));
        }
        if (r.password() != null) {
            Passwords.problem(r.password()).ifPresent(p -> violations.add(new Violation("password", p)));
        }
        Map<String, TeamRole> teams = r.teams() == null ? null : teams(r.teams(), violations);
        if (u.username.equals(by.name()) && by.person() && (Boolean.FALSE.equals(r.admin())
                || Boolean.TRUE.equals(r.disabled()))) {
            violations.add(new Violation(Boolean.TRUE.equals(r.disabled()) ? "disabled" : "admin",
                    "an administrator cannot lock themselves out; another administrator can"));
        }
        if (!violations.isEmpty()) {
            throw new InvalidPipelineException(violations);
        }
        List<String> changes = new ArrayList<>();
        Instant now = Instant.now();
        boolean endSessions = false;
        if (r.password() != null) {
            u.passwordHash = passwords.hash(r.password());
            changes.add("password changed");
            endSessions = true;
        }
        if (r.admin() != null && r.admin() != u.admin) {
            u.admin = r.admin();
            changes.add(u.admin ? "made administrator" : "no longer administrator");
        }
        if (r.disabled() != null && r.disabled() != u.disabled) {
            u.disabled = r.disabled();
            changes.add(u.disabled ? "disabled" : "enabled");
            endSessions |= u.disabled;
        }
        if (teams != null) {
            setTeams(u, teams, by);
            changes.add("teams " + teams);
        }
        u.updatedAt = now;
        if (endSessions) {
            Session.delete("userId", u.id);
        }
        if (!changes.isEmpty()) {
            audit.record(by.name(), by.kind().name(), "user.change", "user", username, null, String.join("; ", changes));
        }
        return view(u);
    }

    @Transactional
    public List<UserView> list() {
        return PortalUser.<PortalUser>list("order by username").stream().map(this::view).toList();
    }

    @Transactional
    public UserView view(String username) {
        return view(PortalUser.named(username).orElseThrow(() -> new NoSuchEntity("no user named '" + username + "'")));
    }

    private UserView view(PortalUser u) {
        Map<String, String> teams = new LinkedHashMap<>();
        Membership.teamsOf(u.id).forEach((t, role) -> teams.put(t, role.label()));
        return new UserView(u.username, "builtin", Caller.Kind.USER, u.admin, u.disabled, teams, u.createdAt);
    }

    private PortalUser newUser(String username, String password, boolean admin) {
        PortalUser u = new PortalUser();
        u.username = username;
        u.passwordHash = passwords.hash(password);
        u.admin = admin;
        u.disabled = false;
        u.createdAt = Instant.now();
        u.updatedAt = u.createdAt;
        return u;
    }

    /** Reads team → role; a team that does not exist yet is created (only administrators get here). */
    private static Map<String, TeamRole> teams(Map<String, String> requested, List<Violation> violations) {
        Map<String, TeamRole> teams = new LinkedHashMap<>();
        if (requested == null) {
            return teams;
        }
        requested.forEach((team, role) -> {
            String field = "teams." + team;
            Optional<String> problem = PipelineSpec.teamProblem(team);
            Optional<TeamRole> parsed = TeamRole.parse(role);
            if (problem.isPresent()) {
                violations.add(new Violation("teams", "team name '" + SignInThrottle.printable(team) + "' "
                        + problem.get()));
            } else if (parsed.isEmpty()) {
                violations.add(new Violation(field, "must be member or viewer"));
            } else {
                teams.put(team, parsed.get());
            }
        });
        return teams;
    }

    private void setTeams(PortalUser u, Map<String, TeamRole> teams, Caller by) {
        Membership.delete("userId", u.id);
        Instant now = Instant.now();
        teams.forEach((name, role) -> {
            Team team = Team.named(name).orElseGet(() -> {
                Team created = Team.create(name, now);
                audit.record(by.name(), by.kind().name(), "team.create", "team", name, name, "with user " + u.username);
                return created;
            });
            Membership m = new Membership();
            m.userId = u.id;
            m.teamId = team.id;
            m.role = role;
            m.persist();
        });
    }

    private static String describe(PortalUser u, Map<String, TeamRole> teams) {
        return (u.admin ? "administrator; " : "") + (u.disabled ? "disabled; " : "") + "teams " + teams;
    }
}
