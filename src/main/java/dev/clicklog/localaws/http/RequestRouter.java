package dev.clicklog.localaws.http;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;

import dev.clicklog.localaws.fault.FaultInjector;
import dev.clicklog.localaws.protocol.AwsServiceException;
import dev.clicklog.localaws.protocol.JsonProtocol;
import dev.clicklog.localaws.protocol.QueryProtocol;
import dev.clicklog.localaws.protocol.XmlWriter;

/**
 * Picks the service handler for a request by the signals AWS clients send: the API Gateway
 * invoke path or host, the X-Amz-Target header, the Smithy RPC v2 path, the SigV4 credential scope, the
 * query protocol's Version; whatever carries none of these is S3, as on AWS's S3 endpoint.
 */
@ApplicationScoped
public class RequestRouter {

    private static final Logger LOG = Logger.getLogger(RequestRouter.class);

    /** The signing name of the API Gateway data plane (invoke URLs). */
    public static final String EXECUTE_API = "execute-api";
    private static final Pattern INVOKE_PATH = Pattern.compile("^/restapis/[^/]+/[^/]+/_user_request_(/.*)?$");
    /** {@code {apiId}.execute-api.<any host>[:port]}: AWS's own invoke host form, also LocalStack's. */
    private static final Pattern INVOKE_HOST = Pattern.compile("^([a-z0-9]+)\\.execute-api\\.[^:/\\[\\]]+(:\\d+)?$",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern RPC_V2_PATH = Pattern.compile("^/service/([^/]+)/operation/([^/]+)$");

    private final Map<String, ServiceHandler> bySigningName = new HashMap<>();
    private final Map<String, ServiceHandler> byTargetPrefix = new HashMap<>();
    private final Map<String, ServiceHandler> byQueryVersion = new HashMap<>();

    private final FaultInjector faults;

    RequestRouter(Instance<ServiceHandler> handlers, FaultInjector faults) {
        this.faults = faults;
        for (ServiceHandler handler : handlers) {
            ServiceHandler.Route route = handler.route();
            bySigningName.put(route.signingName(), handler);
            route.targetPrefixes().forEach(p -> byTargetPrefix.put(p, handler));
            route.queryVersions().forEach(v -> byQueryVersion.put(v, handler));
        }
    }

    /** The handler for the request, or null when no supported service is addressed. */
    public ServiceHandler route(AwsRequest request) {
        String path = request.rawPath();
        if (INVOKE_PATH.matcher(path).matches() || (invokeHostApiId(request.host()) != null
                && (request.scope() == null || EXECUTE_API.equals(request.scope().service())))) {
            return bySigningName.get(EXECUTE_API);
        }
        String target = request.header("X-Amz-Target");
        if (target != null) {
            int dot = target.indexOf('.');
            return byTargetPrefix.get(dot < 0 ? target : target.substring(0, dot));
        }
        var rpc = RPC_V2_PATH.matcher(path);
        if (rpc.matches() && request.header("smithy-protocol") != null) {
            return byTargetPrefix.get(rpc.group(1));
        }
        if (request.scope() != null) {
            return bySigningName.get(request.scope().service());
        }
        String version = queryVersion(request);
        if (version != null) {
            return byQueryVersion.get(version);
        }
        return bySigningName.get("s3");
    }

    /**
     * The API id of an invoke host ({@code abc123defg.execute-api.localhost:4566},
     * {@code abc123defg.execute-api.us-east-1.amazonaws.com}); null for any other host.
     */
    public static String invokeHostApiId(String host) {
        var m = INVOKE_HOST.matcher(host == null ? "" : host);
        return m.matches() ? m.group(1).toLowerCase(Locale.ROOT) : null;
    }

    /**
     * Whether only the body can tell the service: an unsigned query-protocol request (the Action
     * and Version in a form body). Every other request is routed on its line and headers.
     */
    public boolean routeNeedsBody(AwsRequest head) {
        String path = head.rawPath();
        return "POST".equals(head.method()) && !INVOKE_PATH.matcher(path).matches() && invokeHostApiId(head.host()) == null
                && head.header("X-Amz-Target") == null
                && !(RPC_V2_PATH.matcher(path).matches() && head.header("smithy-protocol") != null)
                && head.scope() == null && head.contentType().startsWith("application/x-www-form-urlencoded");
    }

    /** Routes and handles; failures become the service's own error shape, never a stack trace. */
    public AwsResponse dispatch(ServiceHandler handler, AwsRequest request) {
        String operation = rpcOperation(request);
        try {
            if (operation != null) {
                unservedAsTheProtocolSays(request, operation, handler);
            }
            AwsResponse response = handler.handle(request);
            return operation == null ? response : faults.shape(handler.route().signingName(), operation, response);
        } catch (AwsServiceException e) {
            return handler.error(request, e);
        } catch (RuntimeException e) {
            LOG.errorf(e, "localaws: %s %s failed", request.method(), request.rawPath());
            return handler.error(request, AwsServiceException.internal(e));
        }
    }

    /**
     * Applies the armed faults; an operation armed as not served answers as AWS answers an
     * unknown action: InvalidAction in the query protocol, UnknownOperationException (400) in the
     * JSON protocols.
     */
    private void unservedAsTheProtocolSays(AwsRequest request, String operation, ServiceHandler handler) {
        try {
            faults.check(handler.route().signingName(), operation);
        } catch (AwsServiceException e) {
            if (!FaultInjector.UNKNOWN_OPERATION.equals(e.code()) || e.status() != 404) {
                throw e;
            }
            String version = queryVersion(request);
            throw version != null ? QueryProtocol.invalidAction(operation, version) : JsonProtocol.unknownOperation(operation);
        }
    }

    /** What AWS answers a request for a service this endpoint does not serve. */
    public AwsResponse unsupportedService(AwsRequest request) {
        String service = request.scope() != null ? request.scope().service() : "unknown";
        String message = "The service '" + service + "' is not available on this endpoint";
        String ct = request.contentType();
        if (ct.startsWith("application/x-www-form-urlencoded")) {
            String xml = "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>"
                    + XmlWriter.escape(message) + "</Message></Error><RequestId>"
                    + request.requestId() + "</RequestId></ErrorResponse>";
            return AwsResponse.of(400, "text/xml", xml).header("x-amzn-RequestId", request.requestId());
        }
        String json = "{\"__type\":\"UnknownOperationException\",\"message\":\"" + message.replace("\"", "'") + "\"}";
        return AwsResponse.of(400, "application/x-amz-json-1.1", json).header("x-amzn-RequestId", request.requestId());
    }

    /** The operation named by X-Amz-Target, the Smithy RPC v2 path or the query Action; null for REST. */
    static String rpcOperation(AwsRequest request) {
        String target = request.header("X-Amz-Target");
        if (target != null) {
            return target.substring(target.indexOf('.') + 1);
        }
        var rpc = RPC_V2_PATH.matcher(request.rawPath());
        if (rpc.matches()) {
            return rpc.group(2);
        }
        if (request.contentType().startsWith("application/x-www-form-urlencoded")) {
            List<String> action = AwsRequest.parseForm(request.bodyAsString()).get("Action");
            return action == null || action.isEmpty() ? null : action.get(0);
        }
        return request.queryParam("Action");
    }

    private static String queryVersion(AwsRequest request) {
        if (request.contentType().startsWith("application/x-www-form-urlencoded")) {
            List<String> v = AwsRequest.parseForm(request.bodyAsString()).get("Version");
            if (v != null && !v.isEmpty()) {
                return v.get(0);
            }
        }
        return request.queryParam("Action") != null ? request.queryParam("Version") : null;
    }
}
