package dev.clicklog.localaws.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.clicklog.localaws.http.ServiceHandler.Operation;

/**
 * A handler's route table: every operation it serves, how a request names it and what handles it;
 * and the operations it recognises only to refuse them, where a request for one would otherwise
 * look like a served one. The handler dispatches through the table, and
 * {@code docs/localaws/<service>.md} is checked against it, so what is documented is what is served.
 *
 * @param <H> what handles one operation, in the handler's own terms
 */
public final class RouteTable<H> {

    /** One operation and what handles it: for a refused operation, what answers the refusal. */
    public record Row<H>(Operation operation, H handler) {
    }

    private final List<Row<H>> rows = new ArrayList<>();
    private final Map<String, H> served = new HashMap<>();

    /** An operation of an RPC protocol (JSON, query, RPC v2 CBOR), which a request names itself. */
    public RouteTable<H> serve(String name, H handler) {
        return add(new Operation(name, null, null, true), handler);
    }

    /**
     * An operation of a REST protocol, found by method and URI in the form of botocore's
     * {@code requestUri}: {@code /{Bucket}?location}, {@code /restapis/{restapi_id}}.
     */
    public RouteTable<H> serve(String name, String method, String uri, H handler) {
        return add(new Operation(name, method, uri, true), handler);
    }

    /**
     * An operation of a REST protocol recognised only to be refused: its requests would otherwise
     * look like those of a served operation (S3's CopyObject is a PutObject with a header).
     */
    public RouteTable<H> refuse(String name, String method, String uri, H refusal) {
        return add(new Operation(name, method, uri, false), refusal);
    }

    private RouteTable<H> add(Operation operation, H handler) {
        if (rows.stream().anyMatch(r -> r.operation().name().equals(operation.name()))) {
            throw new IllegalArgumentException("operation routed twice: " + operation.name());
        }
        rows.add(new Row<>(operation, handler));
        if (operation.served()) {
            served.put(operation.name(), handler);
        }
        return this;
    }

    /** What handles a served operation; null when the table does not serve it. */
    public H handler(String name) {
        return name == null ? null : served.get(name);
    }

    public List<Row<H>> rows() {
        return List.copyOf(rows);
    }

    /** Every operation of the table, served and refused, in table order. */
    public List<Operation> operations() {
        return rows.stream().map(Row::operation).toList();
    }
}
