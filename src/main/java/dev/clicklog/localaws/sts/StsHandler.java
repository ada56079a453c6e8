package dev.clicklog.localaws.sts;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.clicklog.localaws.http.AwsRequest;
import dev.clicklog.localaws.http.AwsResponse;
import dev.clicklog.localaws.http.CallerErrors;
import dev.clicklog.localaws.http.RouteTable;
import dev.clicklog.localaws.http.ServiceHandler;
import dev.clicklog.localaws.protocol.AwsServiceException;
import dev.clicklog.localaws.protocol.QueryProtocol;
import dev.clicklog.localaws.sts.StsService.CallerIdentity;

/**
 * STS over the query protocol (Version 2011-06-15). Serves GetCallerIdentity, which tells callers
 * who signed (the local account's root, or an IAM user when callers are held to IAM). Refuses every
 * other action — AssumeRole, session tokens, federation — with InvalidAction, as STS answers an
 * action it does not know: localaws issues no temporary credentials.
 */
@ApplicationScoped
public class StsHandler implements ServiceHandler {

    static final String VERSION = "2011-06-15";
    static final String XMLNS = "https://sts.amazonaws.com/doc/2011-06-15/";

    /** One action: the request in, the wire response out. */
    private interface Action {
        AwsResponse handle(AwsRequest request);
    }

    private final StsService sts;
    private final RouteTable<Action> routes = new RouteTable<Action>()
            .serve("GetCallerIdentity", this::getCallerIdentity);

    StsHandler(StsService sts) {
        this.sts = sts;
    }

    @Override
    public Route route() {
        return Route.signingName("sts").withQueryVersion(VERSION);
    }

    @Override
    public AwsResponse handle(AwsRequest request) {
        String action = QueryProtocol.params(request).get("Action");
        Action handler = routes.handler(action);
        if (handler == null) {
            throw QueryProtocol.invalidAction(action, VERSION);
        }
        return handler.handle(request);
    }

    @Override
    public List<Operation> operations() {
        return routes.operations();
    }

    /** GetCallerIdentity needs no permission, as on AWS: anyone may ask who they are. */
    @Override
    public List<Access> access(AwsRequest request) {
        String action = QueryProtocol.params(request).get("Action");
        return "GetCallerIdentity".equals(action) || action == null ? List.of()
                : List.of(Access.of("sts:" + action, "*"));
    }

    @Override
    public CallerErrors callerErrors() {
        return CallerErrors.QUERY;
    }

    @Override
    public AwsResponse error(AwsRequest request, AwsServiceException error) {
        return QueryProtocol.error(request, XMLNS, error);
    }

    private AwsResponse getCallerIdentity(AwsRequest request) {
        CallerIdentity id = sts.callerIdentity(request.scope() != null ? request.scope().accessKeyId() : null);
        return QueryProtocol.result(request, "GetCallerIdentity", XMLNS, xml -> xml
                .element("UserId", id.userId())
                .element("Account", id.account())
                .element("Arn", id.arn()));
    }
}
