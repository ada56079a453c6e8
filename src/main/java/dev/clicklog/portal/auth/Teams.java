package dev.clicklog.portal.auth;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.hibernate.exception.ConstraintViolationException;

import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.clicklog.portal.audit.AuditLog;
import dev.clicklog.portal.pipeline.InvalidPipelineException;
import dev.clicklog.portal.pipeline.PipelineConflictException;
import dev.clicklog.portal.pipeline.PipelineSpec;
import dev.clicklog.portal.pipeline.Team;
import dev.clicklog.portal.pipeline.Violation;

/** Teams: an administrator creates them; everyone sees the teams they belong to (an administrator all). */
@ApplicationScoped
public class Teams {

    private final AuditLog audit;

    Teams(AuditLog audit) {
        this.audit = audit;
    }

    @Transactional
    public TeamView create(String name, Caller by) {
        PipelineSpec.teamProblem(name).ifPresent(rule -> {
            throw new InvalidPipelineException(List.of(new Violation("name", rule)));
        });
        if (Team.named(name).isPresent()) {
            throw new PipelineConflictException("a team named '" + name + "' exists already");
        }
        Team t;
        try {
            t = Team.create(name, Instant.now());
            Team.flush();
        } catch (ConstraintViolationException e) {
            throw new PipelineConflictException("a team named '" + name + "' exists already");
        }
        audit.record(by.name(), by.kind().name(), "team.create", "team", name, name, null);
        return view(t, by);
    }

    /** The teams the caller belongs to, or every team for an administrator, by name. */
    @Transactional
    public List<TeamView> visible(Caller by) {
        return Team.byName().stream().filter(t -> by.admin() || by.teams().containsKey(t.name))
                .map(t -> view(t, by)).toList();
    }

    /**
     * Makes sure these teams exist (the teams OIDC groups map to). Each is made in a transaction of its
     * own: replicas starting together make the same teams, and one made by another replica meanwhile
     * (the unique name refuses the second) is there, which is all this asks.
     */
    public void ensure(Iterable<String> names) {
        for (String name : names) {
            try {
                QuarkusTransaction.requiringNew().run(() -> {
                    if (Team.named(name).isEmpty()) {
                        Team.create(name, Instant.now());
                        Team.flush();
                        audit.record("portal", "USER", "team.create", "team", name, name,
                                "named by clicklog.auth.oidc.group-teams");
                    }
                });
            } catch (RuntimeException e) {
                if (!QuarkusTransaction.requiringNew().call(() -> Team.named(name).isPresent())) {
                    throw e;
                }
            }
        }
    }

    private static TeamView view(Team t, Caller by) {
        TeamRole role = by.teams().get(t.name);
        return new TeamView(t.name, role == null ? null : role.label(), t.createdAt);
    }
}
