package dev.clicklog.portal.auth;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Who may sign in and how (clicklog.auth.*); see docs/security.md. */
@ConfigMapping(prefix = "clicklog.auth")
public interface AuthConfig {

    /** Where people's identities come from. */
    enum Mode {
        /** Accounts stored in the portal's database, with a sign-in page (the default). */
        BUILTIN,
        /** An OpenID Connect provider (quarkus.oidc.*): authorization code for pages, bearer tokens for /api. */
        OIDC,
        /** Nobody is asked who they are: only for the authorization benchmark, refused outside tests. */
        NONE
    }

    @WithDefault("builtin")
    Mode mode();

    /**
     * The password the administrator {@code admin} gets when the portal starts without one; unset,
     * a random password is generated and written to the log, once.
     */
    Optional<String> adminPassword();

    /** bcrypt's cost: 2^cost rounds per password check. */
    @WithDefault("11")
    int bcryptCost();

    Session session();

    SignIn signIn();

    Tokens tokens();

    Oidc oidc();

    /** The browser session a sign-in opens. */
    interface Session {

        /** A session unused this long ends. */
        @WithDefault("12h")
        Duration idleTimeout();

        /** No session lasts longer than this. */
        @WithDefault("168h")
        Duration maxAge();
    }

    /**
     * Failed sign-ins (the sign-in page and Basic credentials alike), counted per account and per
     * client address: after {@code freeAttempts} failures, each further attempt must wait, twice as
     * long as the one before, up to {@code maxDelay}; a success ends the count.
     */
    interface SignIn {

        @WithDefault("5")
        int freeAttempts();

        @WithDefault("1s")
        Duration initialDelay();

        @WithDefault("5m")
        Duration maxDelay();
    }

    /** Access tokens for tooling. */
    interface Tokens {

        /** Longest lifetime a token may be given. */
        @WithDefault("365")
        int maxDays();
    }

    /** How OIDC tokens' claims map to the portal's administrator and team roles. */
    interface Oidc {

        /** The claim naming the person (or the client, for client-credentials tokens). */
        @WithDefault("preferred_username")
        String usernameClaim();

        /** Path (dots between names) of the claim listing the person's groups. */
        @WithDefault("groups")
        String groupsClaim();

        /** Path of the claim listing roles; the admin role there makes the person the portal's administrator. */
        @WithDefault("realm_access.roles")
        String rolesClaim();

        @WithDefault("clicklog-admin")
        String adminRole();

        /**
         * Group name → {@code team:role} (role {@code member} or {@code viewer}), e.g.
         * {@code clicklog.auth.oidc.group-teams.growth-engineers=growth:member}. A group listed in the
         * roles claim counts too.
         */
        Map<String, String> groupTeams();
    }
}
