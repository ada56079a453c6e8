package dev.clicklog.portal.web;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.clicklog.endpoint.AllowedHosts;
import dev.clicklog.portal.web.api.ApiError;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * What every request meets first, before it is authenticated or read: a Host header the portal
 * answers to (else 421 Misdirected Request), and a body no larger than
 * quarkus.http.limits.max-body-size as its Content-Length says (else 413 at once, the body unread
 * and the connection closed; a body without a length is cut off at the same size while it is read).
 * The health checks answer any host, so probes that name the machine's address keep working.
 */
@Singleton
public class HttpGuards {

    /** Before authentication (200) and Quarkus' own body limit. */
    static final int PRIORITY = 1000;

    private final AllowedHosts allowedHosts;
    private final long maxBody;
    private final ObjectMapper json = new ObjectMapper();
    private final BodyHandler unsized;

    HttpGuards(HttpConfig config, @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBody) {
        this.allowedHosts = new AllowedHosts(config.allowedHosts());
        this.maxBody = maxBody.asLongValue();
        this.unsized = BodyHandler.create(false).setBodyLimit(this.maxBody);
    }

    void register(@Observes Filters filters) {
        filters.register(this::guard, PRIORITY);
    }

    private void guard(RoutingContext context) {
        String path = context.normalizedPath();
        // HTTP/1.1's Host header, or HTTP/2's :authority
        HostAndPort authority = context.request().authority();
        String host = authority == null ? null : authority.host();
        if (!path.startsWith("/q/health") && !allowedHosts.allows(host)) {
            refuse(context, 421, "this portal does not answer to the host '" + printable(host)
                    + "' (clicklog.http.allowed-hosts)", path);
            return;
        }
        String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null && context.request().getHeader(HttpHeaders.TRANSFER_ENCODING) != null) {
            // No length to judge by: the body is read here, and refused (413) once more than the limit arrived.
            context.request().resume();
            unsized.handle(context);
            return;
        }
        if (length != null && tooLong(length)) {
            context.response().putHeader(HttpHeaders.CONNECTION, "close");
            context.response().endHandler(done -> context.request().connection().close());
            refuse(context, 413, "the request body is " + length + " bytes; at most " + maxBody + " are accepted", path);
            return;
        }
        context.next();
    }

    private boolean tooLong(String length) {
        try {
            return Long.parseLong(length.strip()) > maxBody;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private void refuse(RoutingContext context, int status, String message, String path) {
        context.response().setStatusCode(status);
        boolean api = path.equals("/api") || path.startsWith("/api/");
        byte[] body;
        if (api) {
            context.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
            body = json(status, message);
        } else {
            context.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=UTF-8");
            body = (message.substring(0, 1).toUpperCase(Locale.ROOT) + message.substring(1) + ".\n")
                    .getBytes(StandardCharsets.UTF_8);
        }
        context.response().end(Buffer.buffer(body));
    }

    private byte[] json(int status, String message) {
        try {
            return json.writeValueAsBytes(ApiError.response(status, message, null).getEntity());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an error body always serializes", e);
        }
    }

    private static String printable(String s) {
        if (s == null) {
            return "";
        }
        String cut = s.length() > 100 ? s.substring(0, 100) + "…" : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?").replace("'", "?");
    }
}
