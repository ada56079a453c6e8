package dev.clicklog.portal.auth;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.Path;

import dev.clicklog.portal.pipeline.PipelineService;

/**
 * Who may call what: the one place the portal's authorization rules are written. Every route of
 * the REST API and every page passes here before its method runs ({@link AccessControl}).
 *
 * <ul>
 * <li>Only the sign-in page ({@link #PUBLIC_PATHS}) is open to anyone; every other route needs a
 * signed-in caller.</li>
 * <li>A route says what it needs with {@link Access}. Without it, a route under a pipeline
 * ({@code /api/pipelines/{name}/…}, {@code /pipelines/{name}/…}) needs the viewer role in the
 * pipeline's team for GET and HEAD and the member role for every other method, and any other route
 * is the administrator's alone: a new route is never open by mistake.</li>
 * <li>The administrator is a member of every team. A token acts for its one team, as viewer (read)
 * or member (write).</li>
 * <li>A pipeline of a team the caller has no role in is answered as if it did not exist (404).</li>
 * </ul>
 */
@ApplicationScoped
public class AccessRules {

    /** The addresses anyone may call (the health checks, the API's description and static files are not JAX-RS routes). */
    public static final Set<String> PUBLIC_PATHS = Set.of("/sign-in", "/sign-out");
    private static final Pattern UNDER_PIPELINE = Pattern.compile("^/(api/)?pipelines/\\{name}(/.*)?$");
    private static final Set<String> READS = Set.of("GET", "HEAD");

    private final PipelineService pipelines;
    private final Map<Method, Access.Level> declared = new ConcurrentHashMap<>();

    AccessRules(PipelineService pipelines) {
        this.pipelines = pipelines;
    }

    public static boolean api(String path) {
        return path.equals("/api") || path.startsWith("/api/");
    }

    public static boolean publicPath(String path) {
        return PUBLIC_PATHS.contains(path);
    }

    /** What a route needs: its {@link Access}, or the default for its address and method. */
    public Access.Level level(Class<?> resource, Method method, String httpMethod) {
        Access.Level level = declared.computeIfAbsent(method, m -> declaredLevel(resource, m));
        if (level != null) {
            return level;
        }
        return defaultLevel(template(resource, method), httpMethod);
    }

    /** The level of a route that does not declare one. */
    static Access.Level defaultLevel(String template, String httpMethod) {
        if (UNDER_PIPELINE.matcher(template).matches()) {
            return READS.contains(httpMethod) ? Access.Level.PIPELINE_READ : Access.Level.PIPELINE_CHANGE;
        }
        return Access.Level.ADMIN;
    }

    /**
     * Decides; answers normally when the caller may go on.
     *
     * @param caller null when nobody is signed in
     * @param pipeline the pipeline the path names, for the pipeline levels
     * @throws AccessDenied otherwise
     */
    public void check(Caller caller, Access.Level level, String pipeline) {
        if (level == Access.Level.PUBLIC) {
            return;
        }
        if (caller == null) {
            throw AccessDenied.signInRequired();
        }
        switch (level) {
            case SIGNED_IN -> {
            }
            case PERSON -> {
                if (!caller.person()) {
                    throw AccessDenied.forbidden("an access token cannot do this; a person must");
                }
            }
            case ADMIN -> {
                if (!caller.admin()) {
                    throw AccessDenied.forbidden("only the portal's administrator may do this");
                }
            }
            case PIPELINE_READ, PIPELINE_CHANGE -> pipeline(caller, pipeline,
                    level == Access.Level.PIPELINE_READ ? TeamRole.VIEWER : TeamRole.MEMBER);
            default -> throw new IllegalStateException("no rule for " + level);
        }
    }

    private void pipeline(Caller caller, String name, TeamRole needed) {
        if (name == null) {
            throw new IllegalStateException("a pipeline route without {name}");
        }
        if (caller.admin()) {
            // whether or not it exists, the route itself says so
            return;
        }
        String team = pipelines.teamOf(name).orElseThrow(() -> AccessDenied.hidden(name));
        TeamRole role = caller.roleIn(team).orElseThrow(() -> AccessDenied.hidden(name));
        if (!role.covers(needed)) {
            throw AccessDenied.forbidden((caller.person() ? "you are a " : "this token acts as a ") + role.label()
                    + " of team " + team + "; changing its pipelines needs the member role");
        }
    }

    /** Whether the caller may create a pipeline for the team named in the request (null: the request's rules say). */
    public void checkCreate(Caller caller, String team) {
        if (caller.admin() || team == null || team.isBlank() || caller.may(team, TeamRole.MEMBER)) {
            return;
        }
        throw AccessDenied.forbidden(caller.memberTeams().isEmpty()
                ? "you are not a member of any team: pipelines are made by their team's members"
                : "you may create pipelines for your teams only: " + String.join(", ", caller.memberTeams()));
    }

    private static Access.Level declaredLevel(Class<?> resource, Method method) {
        Access access = method.getAnnotation(Access.class);
        if (access == null) {
            access = resource.getAnnotation(Access.class);
        }
        return access == null ? null : access.value();
    }

    /** The route's address template: the class' @Path and the method's, e.g. /api/pipelines/{name}/records. */
    public static String template(Class<?> resource, Method method) {
        Path classPath = resource.getAnnotation(Path.class);
        Path methodPath = method.getAnnotation(Path.class);
        String joined = "/" + (classPath == null ? "" : classPath.value()) + "/" + (methodPath == null ? ""
                : methodPath.value());
        String template = joined.replaceAll("/+", "/");
        return template.length() > 1 && template.endsWith("/") ? template.substring(0, template.length() - 1) : template;
    }
}
