package dev.clicklog.localaws.http;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.clicklog.localaws.protocol.AwsServiceException;

/**
 * The protocol side of one AWS service: turns wire requests into calls on the service's state and
 * the results back into wire responses. Implementations are CDI beans; the router finds them.
 */
public interface ServiceHandler {

    /**
     * How requests find this handler: the SigV4 signing name (e.g. "kinesis", "monitoring"), the
     * X-Amz-Target prefixes of its JSON protocol, and the Version of its query protocol.
     */
    Route route();

    AwsResponse handle(AwsRequest request);

    /**
     * The operations of this handler's route table, served and refused, in table order: what
     * {@code docs/localaws/<service>.md} lists and what is checked against botocore's model.
     */
    List<Operation> operations();

    /** Renders an error in this service's wire format. */
    AwsResponse error(AwsRequest request, AwsServiceException error);

    /** True when handling may block (disk I/O), so it must not run on an event loop. */
    default boolean blocking() {
        return false;
    }

    /**
     * What a caller's identity policies must allow for this request, when callers are held to IAM:
     * by default {@code <IAM prefix>:<operation>} on {@code *}, the operation as the request names
     * it (RPC protocols). Services whose actions have resources, or that pass roles, say so.
     */
    default List<Access> access(AwsRequest request) {
        String operation = RequestRouter.rpcOperation(request);
        return operation == null ? List.of() : List.of(Access.of(iamPrefix() + ":" + operation, "*"));
    }

    /** The prefix of this service's actions in IAM policies; its signing name unless they differ. */
    default String iamPrefix() {
        return route().signingName();
    }

    /** How this service answers a caller it cannot authenticate or may not serve. */
    default CallerErrors callerErrors() {
        return CallerErrors.JSON;
    }

    /**
     * One IAM authorization: an action (e.g. "kinesis:CreateStream") on a resource ARN ("*" when the
     * action has none), with the condition keys the request carries (aws:RequestTag/…, aws:TagKeys,
     * aws:ResourceTag/…, iam:PassedToService), multi-valued keys as lists.
     */
    record Access(String action, String resource, Map<String, List<String>> keys) {

        public static Access of(String action, String resource) {
            return new Access(action, resource, Map.of());
        }

        /** With a condition key of one or more values. */
        public Access with(String key, List<String> values) {
            Map<String, List<String>> more = new HashMap<>(keys);
            more.put(key, List.copyOf(values));
            return new Access(action, resource, Map.copyOf(more));
        }

        /** With the tags the request sets: aws:RequestTag/&lt;key&gt; for each, and aws:TagKeys. */
        public Access requestTags(Map<String, String> tags) {
            if (tags == null || tags.isEmpty()) {
                return this;
            }
            Access a = tagKeys(tags.keySet());
            for (Map.Entry<String, String> t : tags.entrySet()) {
                a = a.with("aws:RequestTag/" + t.getKey(), List.of(t.getValue()));
            }
            return a;
        }

        /** With the tag keys the request names (aws:TagKeys). */
        public Access tagKeys(Collection<String> tagKeys) {
            return tagKeys == null || tagKeys.isEmpty() ? this : with("aws:TagKeys", List.copyOf(tagKeys));
        }

        /** With the tags the target resource has now: aws:ResourceTag/&lt;key&gt; for each. */
        public Access resourceTags(Map<String, String> tags) {
            Access a = this;
            if (tags != null) {
                for (Map.Entry<String, String> t : tags.entrySet()) {
                    a = a.with("aws:ResourceTag/" + t.getKey(), List.of(t.getValue()));
                }
            }
            return a;
        }

        /** iam:PassRole on a role the request hands to {@code servicePrincipal}, as AWS checks it. */
        public static Access passRole(String roleArn, String servicePrincipal) {
            return of("iam:PassRole", roleArn).with("iam:PassedToService", List.of(servicePrincipal));
        }
    }

    /** What a body of bodies no service documents otherwise may weigh. */
    long DEFAULT_BODY_LIMIT = 1024 * 1024;

    /**
     * How large a body this request may carry, decided from its line and headers alone (the body is
     * not read yet): the service's documented limit, refused in its own error shape.
     */
    default BodyLimit bodyLimit(AwsRequest head) {
        return BodyLimit.inMemory(DEFAULT_BODY_LIMIT);
    }

    record Route(String signingName, Set<String> targetPrefixes, Set<String> queryVersions) {

        public static Route signingName(String name) {
            return new Route(name, Set.of(), Set.of());
        }

        public Route withTargetPrefix(String prefix) {
            return new Route(signingName, union(targetPrefixes, prefix), queryVersions);
        }

        public Route withQueryVersion(String version) {
            return new Route(signingName, targetPrefixes, union(queryVersions, version));
        }

        private static Set<String> union(Set<String> set, String value) {
            Set<String> copy = new HashSet<>(set);
            copy.add(value);
            return Set.copyOf(copy);
        }
    }

    /**
     * An operation of a route table: its name in the service's model and, for REST protocols, its
     * HTTP method and URI as botocore writes them ({@code GET /{Bucket}?location}); method and URI
     * are null for RPC protocols, whose requests name the operation. {@code served} is false for an
     * operation recognised only to be refused.
     */
    record Operation(String name, String method, String uri, boolean served) {
    }
}
