package dev.clicklog.portal.auth;

import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;

import dev.clicklog.portal.pipeline.Actor;
import dev.clicklog.portal.pipeline.TeamScope;

/**
 * The caller of the current request, as {@link AccessControl} found it before anything else ran:
 * what resources act for and pages ask about ({@code {cdi:caller.signedIn}} in a template). Empty
 * on the public pages for someone not signed in, and everywhere when authorization is off.
 */
@RequestScoped
@Named("caller")
public class CurrentCaller {

    private Caller caller;
    private boolean unrestricted;

    void set(Caller caller) {
        this.caller = caller;
    }

    void unrestricted() {
        this.unrestricted = true;
    }

    /** The caller; fails where nobody is signed in (only public routes run then). */
    public Caller get() {
        if (caller == null) {
            if (unrestricted) {
                return Caller.user("anonymous", true, Map.of());
            }
            throw AccessDenied.signInRequired();
        }
        return caller;
    }

    public boolean signedIn() {
        return caller != null || unrestricted;
    }

    public String name() {
        return caller == null ? unrestricted ? "anonymous" : "" : caller.name();
    }

    public boolean admin() {
        return unrestricted || caller != null && caller.admin();
    }

    public Actor actor() {
        return get().actor();
    }

    public TeamScope scope() {
        return get().scope();
    }

    /** Whether the caller may create, change, delete and retry this team's pipelines. */
    public boolean mayChange(String team) {
        return unrestricted || caller != null && caller.may(team, TeamRole.MEMBER);
    }

    /** Whether the caller may create pipelines at all: an administrator, or a member of some team. */
    public boolean mayCreate() {
        return admin() || caller != null && !caller.memberTeams().isEmpty();
    }

    /** The teams the caller may create pipelines for (an administrator may name any team, or a new one). */
    public Set<String> memberTeams() {
        return caller == null ? Set.of() : caller.memberTeams();
    }
}
