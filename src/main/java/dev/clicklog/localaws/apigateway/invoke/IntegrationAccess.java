package dev.clicklog.localaws.apigateway.invoke;

import java.io.IOException;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import dev.clicklog.localaws.http.AwsRequest;
import dev.clicklog.localaws.http.AwsResponse;
import dev.clicklog.localaws.spi.RoleAccess;
import dev.clicklog.localaws.spi.RoleAccess.Decision;
import dev.clicklog.localaws.protocol.AwsServiceException;
import dev.clicklog.localaws.protocol.JsonProtocol;

/**
 * IAM on an AWS integration's call, as on AWS: API Gateway assumes the integration's credentials
 * role, which must exist and trust apigateway.amazonaws.com (else the method answers 500, a
 * configuration error), and calls the service as that role's session, so the service refuses an
 * action the role's policies do not allow on the resource with its own AccessDeniedException.
 *
 * <p>The resource is the stream the request names. A request naming none (or not JSON) goes on
 * unchecked: the service refuses it for that already. Credentials that pass the caller's identity
 * through ({@code arn:aws:iam::*:user/*}) and integrations without credentials are not checked:
 * localaws does not authenticate callers.
 */
public final class IntegrationAccess {

    public static final String PRINCIPAL = "apigateway.amazonaws.com";
    /** The session name API Gateway gives the roles it assumes. */
    static final String SESSION = "BackplaneAssumeRoleSession";

    private final RoleAccess iam;
    private final String accountId;

    IntegrationAccess(RoleAccess iam, String accountId) {
        this.iam = iam;
        this.accountId = accountId;
    }

    /**
     * Null when the call may go ahead; the service's AccessDeniedException answer when the role's
     * policies do not allow it. Throws API Gateway's configuration error when the role cannot be assumed.
     */
    AwsResponse check(DeployedMethod method, byte[] integrationBody, AwsRequest request) {
        String role = method.credentials;
        if (role == null || !role.contains(":role/")) {
            return null;
        }
        if (!iam.mayAssume(PRINCIPAL, role, Map.of("aws:SourceAccount", accountId))) {
            throw GatewayError.apiConfiguration();
        }
        String resource = resourceArn(method.awsService, method.awsAction, method.awsRegion, integrationBody);
        if (resource == null) {
            return null;
        }
        String action = method.awsService + ":" + method.awsAction;
        Decision decision = iam.decide(role, action, resource, Map.of("aws:RequestedRegion", method.awsRegion));
        if (decision.allowed()) {
            return null;
        }
        String message = RoleAccess.accessDeniedMessage(RoleAccess.sessionArn(role, SESSION), action, resource,
                decision);
        return JsonProtocol.error(request, JsonProtocol.Encoding.JSON_1_1,
                AwsServiceException.badRequest("AccessDeniedException", message));
    }

    /**
     * The ARN of what the request acts on: the Kinesis stream (StreamARN, else StreamName) or the
     * Firehose delivery stream (DeliveryStreamName); "*" for the listings that name nothing; null when
     * the request does not say.
     */
    String resourceArn(String service, String action, String region, byte[] body) {
        String prefix = "arn:aws:" + service + ":" + region + ":" + accountId + ":";
        if (service.equals("kinesis")) {
            String[] members = topLevel(body, "StreamARN", "StreamName");
            if (members[0] != null) {
                return members[0];
            }
            return members[1] != null ? prefix + "stream/" + members[1] : action.equals("ListStreams") ? "*" : null;
        }
        String name = topLevel(body, "DeliveryStreamName")[0];
        return name != null ? prefix + "deliverystream/" + name : action.equals("ListDeliveryStreams") ? "*" : null;
    }

    /**
     * The text of these top-level members of a JSON object, read without building a tree (API
     * Gateway does this on every call), stopping once all are found.
     */
    private static String[] topLevel(byte[] body, String... names) {
        String[] values = new String[names.length];
        try (JsonParser p = JsonProtocol.JSON.getFactory().createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return values;
            }
            int found = 0;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                int i = indexOf(names, field);
                if (i >= 0 && value == JsonToken.VALUE_STRING && values[i] == null) {
                    values[i] = p.getText();
                    if (++found == names.length) {
                        return values;
                    }
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            return new String[names.length];
        }
        return values;
    }

    private static int indexOf(String[] names, String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
