package dev.clicklog.localaws.apigateway.invoke;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * API Gateway's gateway response types and how an API's customisations resolve: a type's own
 * customisation if it has one; else, for a type with a 4XX (5XX) default status, the API's
 * DEFAULT_4XX (DEFAULT_5XX) customisation, with the type's default status unless that one sets a
 * status; else the built-in default ({@code {"message":$context.error.messageString}}).
 */
public final class GatewayResponses {

    static final String DEFAULT_4XX = "DEFAULT_4XX";
    static final String DEFAULT_5XX = "DEFAULT_5XX";
    static final String MISSING_AUTHENTICATION_TOKEN = "MISSING_AUTHENTICATION_TOKEN";
    static final String INVALID_API_KEY = "INVALID_API_KEY";
    static final String THROTTLED = "THROTTLED";
    static final String QUOTA_EXCEEDED = "QUOTA_EXCEEDED";
    static final String BAD_REQUEST_BODY = "BAD_REQUEST_BODY";
    static final String BAD_REQUEST_PARAMETERS = "BAD_REQUEST_PARAMETERS";
    static final String UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE";
    static final String API_CONFIGURATION_ERROR = "API_CONFIGURATION_ERROR";
    static final String INTEGRATION_TIMEOUT = "INTEGRATION_TIMEOUT";
    static final String REQUEST_TOO_LARGE = "REQUEST_TOO_LARGE";

    public static final String DEFAULT_TEMPLATE = "{\"message\":$context.error.messageString}";

    /** Every type with its default status (none for the two defaults), in the order AWS's messages list them. */
    public static final Map<String, String> DEFAULT_STATUS = defaultStatuses();

    /** A gateway response as the control plane shows it (botocore's GatewayResponse). */
    public record GatewayResponse(String responseType, String statusCode, Map<String, String> responseParameters,
            Map<String, String> responseTemplates, boolean defaultResponse) {
    }

    private GatewayResponses() {
    }

    private static Map<String, String> defaultStatuses() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("REQUEST_TOO_LARGE", "413");
        m.put("RESOURCE_NOT_FOUND", "404");
        m.put("AUTHORIZER_CONFIGURATION_ERROR", "500");
        m.put(MISSING_AUTHENTICATION_TOKEN, "403");
        m.put(BAD_REQUEST_BODY, "400");
        m.put("INVALID_SIGNATURE", "403");
        m.put(INVALID_API_KEY, "403");
        m.put(BAD_REQUEST_PARAMETERS, "400");
        m.put("AUTHORIZER_FAILURE", "500");
        m.put("UNAUTHORIZED", "401");
        m.put(INTEGRATION_TIMEOUT, "504");
        m.put("ACCESS_DENIED", "403");
        m.put(DEFAULT_4XX, null);
        m.put(DEFAULT_5XX, null);
        m.put("WAF_FILTERED", "403");
        m.put(QUOTA_EXCEEDED, "429");
        m.put(THROTTLED, "429");
        m.put(API_CONFIGURATION_ERROR, "500");
        m.put(UNSUPPORTED_MEDIA_TYPE, "415");
        m.put("INTEGRATION_FAILURE", "504");
        m.put("EXPIRED_TOKEN", "403");
        return Collections.unmodifiableMap(m);
    }

    static GatewayResponse builtIn(String type) {
        return new GatewayResponse(type, DEFAULT_STATUS.get(type), Map.of(), Map.of("application/json", DEFAULT_TEMPLATE),
                true);
    }

    /** The response of a type given an API's customisations (type → customised response). */
    public static GatewayResponse effective(String type, Map<String, GatewayResponse> customized) {
        GatewayResponse own = customized.get(type);
        if (own != null) {
            return own;
        }
        String status = DEFAULT_STATUS.get(type);
        if (status == null) {
            return builtIn(type);
        }
        GatewayResponse family = customized.get(status.startsWith("5") ? DEFAULT_5XX : DEFAULT_4XX);
        if (family == null) {
            return builtIn(type);
        }
        return new GatewayResponse(type, family.statusCode() != null ? family.statusCode() : status,
                family.responseParameters(), family.responseTemplates(), true);
    }

    /** Every type's response, in the order AWS lists the types. */
    public static List<GatewayResponse> all(Map<String, GatewayResponse> customized) {
        List<GatewayResponse> out = new ArrayList<>();
        DEFAULT_STATUS.keySet().forEach(type -> out.add(effective(type, customized)));
        return out;
    }
}
