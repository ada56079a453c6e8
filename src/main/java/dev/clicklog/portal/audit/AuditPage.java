package dev.clicklog.portal.audit;

import java.time.Instant;
import java.util.List;

/** A page of the audit trail, newest first; {@code nextBefore} (null: the last page) asks for the next. */
public record AuditPage(List<Entry> events, Long nextBefore) {

    /** One change: who ({@code actor}, a user's or a token's name, and which of the two), when, what, to what. */
    public record Entry(long id, Instant at, String actor, String actorKind, String action, String targetKind,
            String target, String team, String detail) {
    }
}
