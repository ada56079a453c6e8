package dev.clicklog.portal.pipeline;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A team: it owns pipelines (every pipeline names one), and people and tokens act for it. */
@Entity
@Table(name = "team")
public class Team extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String name;

    @Column(name = "created_at")
    public Instant createdAt;

    public static Optional<Team> named(String name) {
        return find("name", name).firstResultOptional();
    }

    public static List<Team> byName() {
        return list("order by name");
    }

    /** A new team, persisted. The name must have been checked ({@link PipelineSpec#teamProblem}). */
    public static Team create(String name, Instant now) {
        Team t = new Team();
        t.name = name;
        t.createdAt = now;
        t.persist();
        return t;
    }
}
