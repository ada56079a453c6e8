package dev.clicklog.portal.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Who may call a route (a resource method, or every method of a resource class). A route without
 * it is decided by {@link AccessRules}: under a pipeline ({@code /api/pipelines/{name}/…},
 * {@code /pipelines/{name}/…}) GET and HEAD need the team's viewer role and every other method its
 * member role; anything else only the administrator may call.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.METHOD, ElementType.TYPE })
public @interface Access {

    Level value();

    enum Level {
        /** Anyone, signed in or not (the sign-in page). */
        PUBLIC,
        /** Anyone signed in, person or token. */
        SIGNED_IN,
        /** A signed-in person; tokens are refused. */
        PERSON,
        /** The portal's administrator. */
        ADMIN,
        /** The viewer role (or more) in the team of the pipeline the path names ({name}). */
        PIPELINE_READ,
        /** The member role in the team of the pipeline the path names ({name}). */
        PIPELINE_CHANGE
    }
}
