package dev.clicklog.portal.adapter;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The access log line every pipeline's stage writes: a JSON object of the fields below, each a
 * string, from API Gateway's {@code $context} variables. The format given to the stage and the
 * reading of its lines are both made from this one list.
 */
public final class AccessLogFields {

    public static final String REQUEST_ID = "requestId";
    public static final String TIME = "time";
    public static final String STATUS = "status";
    public static final String ERROR = "error";
    public static final String RESPONSE_TYPE = "responseType";
    public static final String SOURCE_IP = "ip";
    public static final String USER_AGENT = "userAgent";
    public static final String METHOD = "method";
    public static final String PATH = "path";
    public static final String REQUEST_LENGTH = "requestLength";
    public static final String RESPONSE_LENGTH = "responseLength";
    public static final String LATENCY = "latency";

    /** Field → the variable it holds (API Gateway writes {@code -} for a variable without a value). */
    private static final Map<String, String> VARIABLES = variables();

    /** The stage's format: one JSON object a line. */
    public static final String FORMAT = VARIABLES.entrySet().stream()
            .map(e -> "\"" + e.getKey() + "\":\"$context." + e.getValue() + "\"")
            .collect(Collectors.joining(",", "{", "}"));

    /** The filter pattern of a refused request's line: the gateway answered 4xx or 5xx. */
    public static final String REFUSED = "{ $." + STATUS + " = 4* || $." + STATUS + " = 5* }";

    private AccessLogFields() {
    }

    private static Map<String, String> variables() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put(REQUEST_ID, "requestId");
        v.put(TIME, "requestTimeEpoch");
        v.put(STATUS, "status");
        v.put(ERROR, "error.message");
        v.put(RESPONSE_TYPE, "error.responseType");
        v.put(SOURCE_IP, "identity.sourceIp");
        v.put(USER_AGENT, "identity.userAgent");
        v.put(METHOD, "httpMethod");
        v.put(PATH, "resourcePath");
        v.put(REQUEST_LENGTH, "requestLength");
        v.put(RESPONSE_LENGTH, "responseLength");
        v.put(LATENCY, "responseLatency");
        return v;
    }
}
