package dev.clicklog.localaws.apigateway.invoke;

import java.time.Instant;
import java.util.List;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.clicklog.localaws.LocalAwsConfig;
import dev.clicklog.localaws.apigateway.ApiGatewayService;
import dev.clicklog.localaws.apigateway.Ids;
import dev.clicklog.localaws.http.AwsRequest;
import dev.clicklog.localaws.http.AwsResponse;
import dev.clicklog.localaws.http.BodyLimit;
import dev.clicklog.localaws.http.LocalAwsClient;
import dev.clicklog.localaws.http.RequestRouter;
import dev.clicklog.localaws.http.RouteTable;
import dev.clicklog.localaws.http.ServiceHandler;
import dev.clicklog.localaws.protocol.AwsServiceException;
import dev.clicklog.localaws.spi.RoleAccess;

/**
 * API Gateway's data plane (signing name {@code execute-api}): invoke URLs
 * {@code /restapis/{apiId}/{stage}/_user_request_/{path}}, the path-style form LocalStack uses for
 * AWS's {@code https://{apiId}.execute-api.{region}.amazonaws.com/{stage}/{path}}, and that host
 * form itself: any host {@code {apiId}.execute-api.<anything>[:port]} (e.g.
 * {@code abc123defg.execute-api.localhost:4566}) with {@code /{stage}/{path}}.
 *
 * <p>An unknown API or stage answers 403 {@code {"message":"Forbidden"}}: on AWS the API's host name
 * exists for any well-formed id and an unknown stage is refused with ForbiddenException; an unknown
 * path or method of a known stage answers 403 "Missing Authentication Token", as on AWS.
 *
 * <p>Serves one route, {@code Invoke} (the IAM action {@code execute-api:Invoke}): any method on an
 * invoke URL runs the deployed method of that path, with its request validation, API key and usage
 * plan, throttling, mapping templates and an integration of type AWS (Kinesis and Firehose actions,
 * as the integration's role) or MOCK; authorization NONE or AWS_IAM (a signed request, whose
 * signature is not verified). HTTP, HTTP_PROXY and AWS_PROXY integrations and authorizers never get
 * here: the control plane refuses them. Anything outside a deployed stage's methods is refused with
 * the gateway responses API Gateway gives. A stage with access logging writes a line for every
 * request it answered ({@link AccessLogs}).
 *
 * <p>Runs on the event loop: everything it touches is in memory, templates and models are compiled
 * at deployment, and the in-process AWS call is the service's own handler.
 */
@Singleton
public class ExecuteApiHandler implements ServiceHandler {

    private static final Logger LOG = Logger.getLogger(ExecuteApiHandler.class);
    private static final String PREFIX = "/restapis/";
    private static final String USER_REQUEST = "_user_request_";
    static final long MAX_PAYLOAD_BYTES = 10L * 1024 * 1024;

    /** One operation: the request in, the wire response out. */
    private interface Action {
        AwsResponse handle(AwsRequest request);
    }

    private final ApiGatewayService state;
    private final ApiGatewayMetrics metrics;
    private final AccessLogs accessLogs;
    private final Invocation.Services services;
    private final RouteTable<Action> routes = new RouteTable<Action>()
            .serve("Invoke", "ANY", "/restapis/{restapi_id}/{stage_name}/_user_request_/{path+}", this::invoke);

    ExecuteApiHandler(ApiGatewayService state, LocalAwsClient aws, RoleAccess iam, ApiGatewayMetrics metrics,
            AccessLogs accessLogs, LocalAwsConfig config) {
        this.state = state;
        this.metrics = metrics;
        this.accessLogs = accessLogs;
        this.services = new Invocation.Services(state, config.accountId(), aws,
                new IntegrationAccess(iam, config.accountId()), config.apiGateway().integrationTimeout().toMillis());
    }

    @Override
    public Route route() {
        return Route.signingName(RequestRouter.EXECUTE_API);
    }

    /** REST APIs take payloads of up to 10 MB; a larger one gets the REQUEST_TOO_LARGE gateway response, unread. */
    @Override
    public BodyLimit bodyLimit(AwsRequest head) {
        return BodyLimit.inMemory(MAX_PAYLOAD_BYTES);
    }

    /** The router sends only invoke URLs here ({@link RequestRouter}), so every request is an Invoke. */
    @Override
    public AwsResponse handle(AwsRequest request) {
        return routes.handler("Invoke").handle(request);
    }

    @Override
    public List<Operation> operations() {
        return routes.operations();
    }

    private AwsResponse invoke(AwsRequest request) {
        long start = System.nanoTime();
        String extendedRequestId = Ids.extendedRequestId();
        String path = request.rawPath();
        Target target = target(request);
        LiveStage stage = stage(target);
        if (stage == null) {
            return gatewayError(request, extendedRequestId, GatewayError.forbidden());
        }
        String userPath = target.userPath();
        Instant now = Instant.now();
        Invocation invocation = new Invocation(services, stage, request, extendedRequestId, now);
        AwsResponse response;
        try {
            response = invocation.run(userPath);
        } catch (RuntimeException e) {
            LOG.errorf(e, "API Gateway invocation %s %s failed", request.method(), path);
            response = invocation.gatewayResponse(GatewayError.internal());
        }
        response.header("x-amzn-RequestId", request.requestId()).header("x-amz-apigw-id", extendedRequestId);
        double latencyMs = (System.nanoTime() - start) / 1e6;
        metrics.record(stage.metrics, response.status(), latencyMs, invocation.integrationLatencyMs, now);
        accessLogs.record(stage, invocation, response, latencyMs, now);
        return response;
    }

    /** Which API and stage a request invokes, and the path within the stage ("" or "/…"). */
    record Target(String apiId, String stage, String userPath) {
    }

    /**
     * The invoke host form {@code {apiId}.execute-api.<host>/{stage}/{path}}, else the path form
     * {@code /restapis/{apiId}/{stage}/_user_request_/{path}}; null when neither names a stage.
     */
    static Target target(AwsRequest request) {
        String path = request.rawPath();
        String hostApiId = RequestRouter.invokeHostApiId(request.host());
        if (hostApiId != null) {
            int stageEnd = path.indexOf('/', 1);
            String stage = stageEnd < 0 ? path.substring(1) : path.substring(1, stageEnd);
            return stage.isEmpty() ? null : new Target(hostApiId, stage, stageEnd < 0 ? "" : path.substring(stageEnd));
        }
        if (!path.startsWith(PREFIX)) {
            return null;
        }
        int apiEnd = path.indexOf('/', PREFIX.length());
        int stageEnd = apiEnd < 0 ? -1 : path.indexOf('/', apiEnd + 1);
        if (stageEnd < 0 || !path.startsWith(USER_REQUEST, stageEnd + 1)) {
            return null;
        }
        return new Target(path.substring(PREFIX.length(), apiEnd), path.substring(apiEnd + 1, stageEnd),
                path.substring(stageEnd + 1 + USER_REQUEST.length()));
    }

    /** The deployed stage a request invokes; null when the API or stage is unknown. */
    private LiveStage stage(Target target) {
        return target == null ? null : state.liveStage(target.apiId(), target.stage());
    }

    @Override
    public AwsResponse error(AwsRequest request, AwsServiceException error) {
        String extendedRequestId = Ids.extendedRequestId();
        if (error.status() != 413) {
            return gatewayError(request, extendedRequestId, GatewayError.internal());
        }
        // A body over the payload limit: the stage's REQUEST_TOO_LARGE response, as customised on its API.
        LiveStage stage = stage(target(request));
        if (stage == null) {
            return gatewayError(request, extendedRequestId, GatewayError.forbidden());
        }
        return new Invocation(services, stage, request, extendedRequestId, Instant.now())
                .gatewayResponse(GatewayError.requestTooLarge())
                .header("x-amzn-RequestId", request.requestId()).header("x-amz-apigw-id", extendedRequestId);
    }

    /** A gateway error outside any deployed API (unknown API or stage): the built-in response. */
    private static AwsResponse gatewayError(AwsRequest request, String extendedRequestId, GatewayError e) {
        return AwsResponse.of(e.status, Invocation.JSON, e.defaultBody())
                .header("x-amzn-RequestId", request.requestId())
                .header("x-amz-apigw-id", extendedRequestId)
                .header("x-amzn-ErrorType", e.errorType);
    }
}
