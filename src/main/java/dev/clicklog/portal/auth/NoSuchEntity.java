package dev.clicklog.portal.auth;

/** A user, team or token that does not exist (or that the caller may not know of): 404. */
public class NoSuchEntity extends RuntimeException {

    public NoSuchEntity(String message) {
        super(message);
    }
}
