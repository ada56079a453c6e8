package dev.clicklog.portal.pipeline;

/**
 * Who asks for a change, as the domain records it: a person's user name or a token's name, which
 * of the two, and whether they act as the portal's administrator. The web layer says who it is;
 * the domain never reads HTTP.
 */
public record Actor(String name, Kind kind, boolean admin) {

    public enum Kind {
        USER, TOKEN
    }

    public static Actor user(String name, boolean admin) {
        return new Actor(name, Kind.USER, admin);
    }

    public static Actor token(String name) {
        return new Actor(name, Kind.TOKEN, false);
    }

    /** How the history names the actor: {@code alice}, or {@code token deploy-bot}. */
    public String label() {
        return kind == Kind.TOKEN ? "token " + name : name;
    }
}
