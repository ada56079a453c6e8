package dev.clicklog.portal.audit;

import java.time.Instant;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One change someone made, kept for the audit trail: who, when, what, to which thing of which team. */
@Entity
@Table(name = "audit_event")
public class AuditEvent extends PanacheEntityBase {

    /** Longest detail kept; longer ones are cut. */
    static final int MAX_DETAIL = 2000;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public Instant at;
    public String actor;
    @Column(name = "actor_kind")
    public String actorKind;
    public String action;
    @Column(name = "target_kind")
    public String targetKind;
    public String target;
    public String team;
    public String detail;

    /** Up to {@code limit} events written before the event {@code before} (null: the newest), newest first. */
    static List<AuditEvent> page(Long before, String team, int limit) {
        long under = before == null ? Long.MAX_VALUE : before;
        if (team == null) {
            return find("id < ?1 order by id desc", under).page(0, limit).list();
        }
        return find("team = ?1 and id < ?2 order by id desc", team, under).page(0, limit).list();
    }
}
