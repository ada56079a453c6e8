package dev.clicklog.portal.auth;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A built-in account's role in a team. */
@Entity
@Table(name = "team_member")
@IdClass(Membership.Key.class)
public class Membership extends PanacheEntityBase {

    @Id
    @Column(name = "user_id")
    public Long userId;
    @Id
    @Column(name = "team_id")
    public Long teamId;
    @Enumerated(EnumType.STRING)
    public TeamRole role;

    /** The composite key. */
    public static class Key implements Serializable {
        public Long userId;
        public Long teamId;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(userId, k.userId) && Objects.equals(teamId, k.teamId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(userId, teamId);
        }
    }

    /** The user's teams by name, with the role in each. */
    static Map<String, TeamRole> teamsOf(long userId) {
        Map<String, TeamRole> teams = new TreeMap<>();
        List<Object[]> rows = getEntityManager().createQuery(
                "select t.name, m.role from Membership m, Team t where m.teamId = t.id and m.userId = :user",
                Object[].class).setParameter("user", userId).getResultList();
        rows.forEach(r -> teams.put((String) r[0], (TeamRole) r[1]));
        return teams;
    }
}
