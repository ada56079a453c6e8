package dev.clicklog.localaws.http;

import java.util.HashSet;
import java.util.List;
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
