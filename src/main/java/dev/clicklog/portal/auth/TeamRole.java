package dev.clicklog.portal.auth;

import java.util.Locale;
import java.util.Optional;

/** What someone may do with a team's pipelines. */
public enum TeamRole {
    /** Read the team's pipelines, metrics, records and objects. */
    VIEWER,
    /** Everything a viewer may, and create, change, delete and retry the team's pipelines. */
    MEMBER;

    /** Whether this role allows what {@code needed} allows. */
    public boolean covers(TeamRole needed) {
        return compareTo(needed) >= 0;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code member} or {@code viewer}, as the API and the configuration write them. */
    public static Optional<TeamRole> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        for (TeamRole r : values()) {
            if (r.label().equals(value.strip().toLowerCase(Locale.ROOT))) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
