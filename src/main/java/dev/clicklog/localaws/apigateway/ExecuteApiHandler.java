package dev.clicklog.localaws.apigateway;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.clicklog.localaws.LocalAwsConfig;
import dev.clicklog.localaws.http.AwsRequest;
import dev.clicklog.localaws.http.AwsResponse;
import dev.clicklog.localaws.http.LocalAwsClient;
import dev.clicklog.localaws.http.RequestRouter;
import dev.clicklog.localaws.http.ServiceHandler;
import dev.clicklog.localaws.protocol.AwsServiceException;
import dev.clicklog.localaws.protocol.JsonProtocol;

/**
 * API Gateway's data plane (signing name {@code execute-api}): invoke URLs
 * {@code /restapis/{apiId}/{stage}/_user_request_/{path}}, the path-style form LocalStack uses for
 * AWS's {@code https://{apiId}.execute-api.{region}.amazonaws.com/{stage}/{path}}.
 *
 * <p>An unknown API or stage answers 403 {@code {"message":"Forbidden"}}: on AWS the API's host name
 * exists for any well-formed id and an unknown stage is refused with ForbiddenException; an unknown
 * path or method of a known stage answers 403 "Missing Authentication Token", as on AWS.
 *
 * <p>Runs on the event loop: everything it touches is in memory, templates and models are compiled
 * at deployment, and the in-process AWS call is the service's own handler.
 */
@Singleton
public class ExecuteApiHandler implements ServiceHandler {

    private static final Logger LOG = Logger.getLogger(ExecuteApiHandler.class);
    private static final String PREFIX = "/restapis/";
    private static final String USER_REQUEST = "_user_request_";

    private final ApiGatewayState state;
    private final LocalAwsClient aws;
    private final ApiGatewayMetrics metrics;
    private final long integrationTimeoutMillis;
    private final String accountId;

    ExecuteApiHandler(ApiGatewayState state, LocalAwsClient aws, ApiGatewayMetrics metrics, LocalAwsConfig config) {
        this.state = state;
        this.aws = aws;
        this.metrics = metrics;
        this.integrationTimeoutMillis = config.apiGateway().integrationTimeout().toMillis();
        this.accountId = config.accountId();
    }

    @Override
    public Route route() {
        return Route.signingName(RequestRouter.EXECUTE_API);
    }

    @Override
    public AwsResponse handle(AwsRequest request) {
        long start = System.nanoTime();
        String extendedRequestId = Ids.extendedRequestId();
        String path = request.rawPath();
        int apiEnd = path.indexOf('/', PREFIX.length());
        int stageEnd = apiEnd < 0 ? -1 : path.indexOf('/', apiEnd + 1);
        LiveStage stage = stageEnd < 0 ? null
                : state.liveStage(path.substring(PREFIX.length(), apiEnd), path.substring(apiEnd + 1, stageEnd));
        if (stage == null) {
            return gatewayError(request, extendedRequestId, GatewayError.forbidden());
        }
        String userPath = path.substring(stageEnd + 1 + USER_REQUEST.length());
        Instant now = Instant.now();
        Invocation invocation = new Invocation(state, accountId, aws, integrationTimeoutMillis, stage, request,
                extendedRequestId, now);
        AwsResponse response;
        try {
            response = invocation.run(userPath)
                    .header("x-amzn-RequestId", request.requestId())
                    .header("x-amz-apigw-id", extendedRequestId);
        } catch (GatewayError e) {
            response = gatewayError(request, extendedRequestId, e);
        } catch (RuntimeException e) {
            LOG.errorf(e, "API Gateway invocation %s %s failed", request.method(), path);
            response = gatewayError(request, extendedRequestId, GatewayError.internal());
        }
        metrics.record(stage.metrics, response.status(), (System.nanoTime() - start) / 1e6,
                invocation.integrationLatencyMs, now);
        return response;
    }

    @Override
    public AwsResponse error(AwsRequest request, AwsServiceException error) {
        return gatewayError(request, Ids.extendedRequestId(), GatewayError.internal());
    }

    private static AwsResponse gatewayError(AwsRequest request, String extendedRequestId, GatewayError e) {
        String body = JsonProtocol.NODES.objectNode().put("message", e.getMessage()).toString();
        return AwsResponse.of(e.status, Invocation.JSON, body.getBytes(StandardCharsets.UTF_8))
                .header("x-amzn-RequestId", request.requestId())
                .header("x-amz-apigw-id", extendedRequestId)
                .header("x-amzn-ErrorType", e.errorType);
    }
}
