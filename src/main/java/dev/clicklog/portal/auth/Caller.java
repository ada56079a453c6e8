package dev.clicklog.portal.auth;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import dev.clicklog.portal.pipeline.Actor;
import dev.clicklog.portal.pipeline.TeamScope;

/**
 * Who is calling, once they proved it: a person (a built-in account or an OIDC identity) or an
 * access token, whether they are the portal's administrator, and their role in each team. A
 * token has exactly one team, with the role its scope grants.
 */
public record Caller(String name, Kind kind, boolean admin, Map<String, TeamRole> teams) {

    public enum Kind {
        USER, TOKEN
    }

    public Caller {
        teams = Map.copyOf(teams);
    }

    public static Caller user(String name, boolean admin, Map<String, TeamRole> teams) {
        return new Caller(name, Kind.USER, admin, teams);
    }

    public static Caller token(String name, String team, TeamRole role) {
        return new Caller(name, Kind.TOKEN, false, Map.of(team, role));
    }

    public boolean person() {
        return kind == Kind.USER;
    }

    /** The caller's role in the team; an administrator is a member of every team. */
    public Optional<TeamRole> roleIn(String team) {
        if (admin) {
            return Optional.of(TeamRole.MEMBER);
        }
        return Optional.ofNullable(teams.get(team));
    }

    public boolean may(String team, TeamRole needed) {
        return roleIn(team).map(r -> r.covers(needed)).orElse(false);
    }

    /** The teams whose pipelines the caller sees. */
    public TeamScope scope() {
        return admin ? TeamScope.ALL : TeamScope.of(teams.keySet());
    }

    /** The teams the caller is a member of (may create pipelines for), by name. */
    public Set<String> memberTeams() {
        return teams.entrySet().stream().filter(e -> e.getValue() == TeamRole.MEMBER).map(Map.Entry::getKey)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The caller as the domain records it. */
    public Actor actor() {
        return kind == Kind.TOKEN ? Actor.token(name) : Actor.user(name, admin);
    }
}
