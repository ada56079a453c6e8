package dev.clicklog.portal.adapter;

import java.net.URI;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import software.amazon.awssdk.services.apigateway.ApiGatewayClient;

/**
 * The URL clients send clicks to. On AWS that is the API's execute-api host; on any other endpoint
 * (the embedded one, LocalStack, Floci) it is the path convention those endpoints share. The
 * choice follows from the API Gateway client's own endpoint, not from a mode switch.
 */
@ApplicationScoped
public class InvokeUrls {

    public static final String CLICKS_PATH = "/clicks";

    private final ApiGatewayClient apiGateway;
    private final Arns arns;

    InvokeUrls(ApiGatewayClient apiGateway, Arns arns) {
        this.apiGateway = apiGateway;
        this.arns = arns;
    }

    public String clicks(String restApiId, String stage) {
        Optional<URI> endpoint = apiGateway.serviceClientConfiguration().endpointOverride();
        if (endpoint.isPresent()) {
            String base = endpoint.get().toString().replaceAll("/+$", "");
            return base + "/restapis/" + restApiId + "/" + stage + "/_user_request_" + CLICKS_PATH;
        }
        return "https://" + restApiId + ".execute-api." + arns.region().id() + "." + arns.dnsSuffix() + "/" + stage
                + CLICKS_PATH;
    }
}
