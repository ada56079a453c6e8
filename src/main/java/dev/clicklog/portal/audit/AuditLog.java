package dev.clicklog.portal.audit;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * The audit trail. A change is recorded in the transaction that makes it, so the trail never says
 * something happened that did not, nor misses something that did.
 */
@ApplicationScoped
public class AuditLog {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 500;

    /**
     * Records a change; joins the caller's transaction.
     *
     * @param actorKind USER or TOKEN
     * @param action what was done, e.g. pipeline.create, token.revoke
     * @param targetKind pipeline, team, user or token
     * @param team the team the target belongs to; null for users
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void record(String actor, String actorKind, String action, String targetKind, String target, String team,
            String detail) {
        AuditEvent e = new AuditEvent();
        e.at = Instant.now();
        e.actor = actor;
        e.actorKind = actorKind;
        e.action = action;
        e.targetKind = targetKind;
        e.target = target;
        e.team = team;
        e.detail = detail == null || detail.length() <= AuditEvent.MAX_DETAIL ? detail
                : detail.substring(0, AuditEvent.MAX_DETAIL - 1) + "…";
        e.persist();
    }

    /** A page of the trail, newest first, optionally of one team; pass {@code nextBefore} back as {@code before}. */
    @Transactional
    public AuditPage page(Long before, String team, int limit) {
        List<AuditEvent> rows = AuditEvent.page(before, team, limit + 1);
        List<AuditPage.Entry> entries = rows.stream().limit(limit)
                .map(e -> new AuditPage.Entry(e.id, e.at, e.actor, e.actorKind, e.action, e.targetKind, e.target, e.team,
                        e.detail))
                .toList();
        Long nextBefore = rows.size() > limit ? entries.get(entries.size() - 1).id() : null;
        return new AuditPage(entries, nextBefore);
    }
}
