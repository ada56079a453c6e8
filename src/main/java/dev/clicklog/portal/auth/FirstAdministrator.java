package dev.clicklog.portal.auth;

import java.util.Optional;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.jboss.logging.Logger;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * At start: refuses a configuration that would leave the portal open or half set up, and makes
 * the first administrator of built-in accounts. Its password is clicklog.auth.admin-password (env
 * CLICKLOG_AUTH_ADMIN_PASSWORD), or else a random one written to the log this once — never again.
 * The account itself is made just after start, off the path to readiness (see {@link Accounts#prepare}).
 */
@Singleton
public class FirstAdministrator {

    private static final Logger LOG = Logger.getLogger(FirstAdministrator.class);

    private volatile boolean stopping;

    void onStop(@Observes ShutdownEvent stopped) {
        stopping = true;
    }

    void onStart(@Observes StartupEvent started, AuthConfig config, Accounts accounts, ManagedExecutor executor,
            @ConfigProperty(name = "quarkus.oidc.tenant-enabled", defaultValue = "false") boolean oidcTenant) {
        if (config.mode() != AuthConfig.Mode.BUILTIN) {
            accounts.noAdministrator();
        }
        switch (config.mode()) {
            case NONE -> {
                if (LaunchMode.current() != LaunchMode.TEST) {
                    throw new IllegalStateException("clicklog.auth.mode=none switches authorization off and is only "
                            + "for the authorization benchmark; use builtin or oidc");
                }
                LOG.warn("authorization is off (clicklog.auth.mode=none): every caller may do everything");
            }
            case OIDC -> {
                if (!oidcTenant) {
                    throw new IllegalStateException("clicklog.auth.mode=oidc needs quarkus.oidc.tenant-enabled=true "
                            + "and the provider's quarkus.oidc.auth-server-url, client-id and credentials.secret");
                }
            }
            case BUILTIN -> {
                if (oidcTenant) {
                    throw new IllegalStateException("quarkus.oidc.tenant-enabled=true needs clicklog.auth.mode=oidc");
                }
                Optional<String> configured = config.adminPassword().filter(p -> !p.isBlank());
                configured.flatMap(Passwords::problem).ifPresent(problem -> {
                    throw new IllegalStateException("clicklog.auth.admin-password " + problem);
                });
                executor.execute(() -> {
                    try {
                        accounts.prepare(configured, password -> LOG.infof(
                                "Created the administrator '%s' with the password %s -- it is shown only this once; "
                                        + "sign in and change it (PATCH /api/users/%s), or set "
                                        + "CLICKLOG_AUTH_ADMIN_PASSWORD before the first start",
                                Accounts.ADMINISTRATOR, password, Accounts.ADMINISTRATOR));
                    } catch (RuntimeException e) {
                        if (stopping) {
                            // rolled back with the stop: the next start makes it
                            LOG.info("stopped before the first administrator was created; the next start creates it");
                        } else {
                            LOG.error("could not create the first administrator", e);
                        }
                    }
                });
            }
            default -> throw new IllegalStateException("unknown clicklog.auth.mode " + config.mode());
        }
    }
}
