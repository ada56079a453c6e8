package dev.clicklog.portal.pipeline;

import java.util.Set;

/** Which teams' pipelines someone may see: every team's (an administrator), or these only. */
public record TeamScope(boolean all, Set<String> teams) {

    public static final TeamScope ALL = new TeamScope(true, Set.of());

    public static TeamScope of(Set<String> teams) {
        return new TeamScope(false, Set.copyOf(teams));
    }

    public boolean includes(String team) {
        return all || teams.contains(team);
    }
}
