package dev.clicklog.localaws.sts;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.clicklog.localaws.LocalAwsConfig;
import dev.clicklog.localaws.http.AwsRequest;
import dev.clicklog.localaws.http.AwsResponse;
import dev.clicklog.localaws.http.ServiceHandler;
import dev.clicklog.localaws.protocol.AwsServiceException;
import dev.clicklog.localaws.protocol.QueryProtocol;

/** STS over the query protocol: only GetCallerIdentity, which tells callers the local account. */
@ApplicationScoped
public class StsHandler implements ServiceHandler {

    static final String VERSION = "2011-06-15";
    static final String XMLNS = "https://sts.amazonaws.com/doc/2011-06-15/";

    private final LocalAwsConfig config;

    StsHandler(LocalAwsConfig config) {
        this.config = config;
    }

    @Override
    public Route route() {
        return Route.signingName("sts").withQueryVersion(VERSION);
    }

    @Override
    public AwsResponse handle(AwsRequest request) {
        Map<String, String> params = QueryProtocol.params(request);
        String action = params.get("Action");
        if (!"GetCallerIdentity".equals(action)) {
            throw QueryProtocol.invalidAction(action, VERSION);
        }
        String account = config.accountId();
        String accessKey = request.scope() != null ? request.scope().accessKeyId() : "anonymous";
        return QueryProtocol.result(request, action, XMLNS, xml -> xml
                .element("UserId", accessKey)
                .element("Account", account)
                .element("Arn", "arn:aws:iam::" + account + ":root"));
    }

    @Override
    public AwsResponse error(AwsRequest request, AwsServiceException error) {
        return QueryProtocol.error(request, XMLNS, error);
    }
}
