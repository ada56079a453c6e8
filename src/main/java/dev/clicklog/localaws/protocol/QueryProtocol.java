package dev.clicklog.localaws.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import dev.clicklog.localaws.http.AwsRequest;
import dev.clicklog.localaws.http.AwsResponse;

/**
 * The AWS query protocol (IAM, STS, CloudWatch's oldest form): form-encoded parameters in, XML out,
 * with lists as {@code Name.member.N} and maps as {@code Name.member.N.Key/Value}.
 */
public final class QueryProtocol {

    private QueryProtocol() {
    }

    /** The request's parameters: the form body and the query string, body winning. */
    public static Map<String, String> params(AwsRequest request) {
        Map<String, String> params = new LinkedHashMap<>();
        request.queryParams().forEach((k, v) -> params.put(k, v.get(0)));
        if (request.contentType().startsWith("application/x-www-form-urlencoded")) {
            AwsRequest.parseForm(request.bodyAsString()).forEach((k, v) -> params.put(k, v.get(0)));
        }
        return params;
    }

    /** {@code prefix.member.1}, {@code prefix.member.2}, … until one is missing. */
    public static List<String> list(Map<String, String> params, String prefix) {
        ArrayList<String> values = new ArrayList<>();
        for (int i = 1; params.containsKey(prefix + ".member." + i); i++) {
            values.add(params.get(prefix + ".member." + i));
        }
        return values;
    }

    /** Structures in a list: {@code prefix.member.N.field} for each N, as maps of field → value. */
    public static List<Map<String, String>> structList(Map<String, String> params, String prefix) {
        ArrayList<Map<String, String>> items = new ArrayList<>();
        for (int i = 1;; i++) {
            String p = prefix + ".member." + i + ".";
            Map<String, String> item = new LinkedHashMap<>();
            params.forEach((k, v) -> {
                if (k.startsWith(p)) {
                    item.put(k.substring(p.length()), v);
                }
            });
            if (item.isEmpty()) {
                return items;
            }
            items.add(item);
        }
    }

    /** {@code <ActionResponse><ActionResult>…</ActionResult><ResponseMetadata/></ActionResponse>}. */
    public static AwsResponse result(AwsRequest request, String action, String xmlns, Consumer<XmlWriter> result) {
        XmlWriter xml = new XmlWriter().start(action + "Response", xmlns);
        if (result != null) {
            xml.start(action + "Result");
            result.accept(xml);
            xml.end();
        }
        xml.start("ResponseMetadata").element("RequestId", request.requestId()).end().end();
        return AwsResponse.of(200, "text/xml", xml.toBytes()).header("x-amzn-RequestId", request.requestId());
    }

    public static AwsResponse error(AwsRequest request, String xmlns, AwsServiceException e) {
        XmlWriter xml = new XmlWriter().start("ErrorResponse", xmlns)
                .start("Error")
                .element("Type", e.faultType())
                .element("Code", e.code())
                .element("Message", e.getMessage())
                .end()
                .element("RequestId", request.requestId())
                .end();
        return AwsResponse.of(e.status(), "text/xml", xml.toBytes()).header("x-amzn-RequestId", request.requestId());
    }

    /** What a query-protocol service answers for an action it does not know. */
    public static AwsServiceException invalidAction(String action, String version) {
        return AwsServiceException.badRequest("InvalidAction",
                "Could not find operation " + action + " for version " + version);
    }

    public static String required(Map<String, String> params, String name) {
        String v = params.get(name);
        if (v == null) {
            throw AwsServiceException.badRequest("MissingParameter",
                    "The request must contain the parameter " + name);
        }
        return v;
    }
}
