package dev.clicklog.localaws.s3;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import dev.clicklog.localaws.LocalAwsConfig;
import dev.clicklog.localaws.fault.FaultInjector;
import dev.clicklog.localaws.http.AwsRequest;
import dev.clicklog.localaws.http.AwsResponse;
import dev.clicklog.localaws.http.BodyLimit;
import dev.clicklog.localaws.http.CallerErrors;
import dev.clicklog.localaws.http.RouteTable;
import dev.clicklog.localaws.http.ServiceHandler;
import dev.clicklog.localaws.protocol.AwsServiceException;
import dev.clicklog.localaws.protocol.ModelUri;
import dev.clicklog.localaws.protocol.RestXmlProtocol;
import dev.clicklog.localaws.protocol.XmlReader;
import dev.clicklog.localaws.spi.RequestSignatures;

/**
 * S3 over REST-XML. Finds the bucket and key (path-style {@code /bucket/key} or a virtual-hosted
 * {@code bucket.localhost} / {@code bucket.s3.…} host), picks the operation from its route table —
 * method, URI and sub-resource as S3's model binds them — and hands it to the bucket, object or
 * multipart operations. Handling is blocking: object bodies live on disk.
 * <p>
 * Serves buckets (create, head, delete, list, location), their tags, public access block, default
 * encryption and lifecycle rules; objects (put, get, head, delete, delete many, list) and multipart
 * uploads. Refuses every other operation with 501 NotImplemented, as S3 answers functionality it
 * does not implement: copies (CopyObject, UploadPartCopy, recognised by their copy-source header so
 * they are never taken for a PutObject), ListParts, and every sub-resource its table does not name
 * (ACLs, policies, versioning, CORS, website, replication, object tags, …).
 */
@ApplicationScoped
public class S3Handler implements ServiceHandler {

    static final String XMLNS = "http://s3.amazonaws.com/doc/2006-03-01/";
    /** S3's largest single PUT, and largest part. */
    static final long MAX_OBJECT_BYTES = 5L * 1024 * 1024 * 1024;
    /** Bodies of the other operations: XML (10,000 parts to complete, 1,000 keys to delete) fits many times. */
    static final long MAX_REQUEST_BYTES = 10L * 1024 * 1024;

    /** Query parameters of bucket requests that are arguments, not sub-resources. */
    private static final Set<String> BUCKET_ARGUMENTS = union(QueryAuth.PARAMETERS, "list-type", "prefix", "delimiter",
            "marker", "max-keys", "encoding-type", "continuation-token", "start-after", "fetch-owner", "x-id", "max-buckets",
            "bucket-region", "key-marker", "version-id-marker");
    /** Query parameters of object requests that are arguments, not sub-resources. */
    private static final Set<String> OBJECT_ARGUMENTS = union(QueryAuth.PARAMETERS, "versionId", "partNumber", "uploadId",
            "x-id", "response-content-type", "response-content-language", "response-expires", "response-cache-control",
            "response-content-disposition", "response-content-encoding");
    private static final Pattern S3_HOST = Pattern.compile("^(.+)\\.s3[.-].*$");
    private static final String COPY_SOURCE = "x-amz-copy-source";

    /** Which bucket and key a request addresses; null bucket for the service (ListBuckets). */
    record Address(String bucket, String key) {

        /** The path of the model's URI this address has: {@code /}, {@code /{Bucket}} or {@code /{Bucket}/{Key+}}. */
        String template() {
            return bucket == null ? "/" : key == null ? "/{Bucket}" : "/{Bucket}/{Key+}";
        }
    }

    /** One operation: the request and what it addresses in, the wire response out. */
    private interface Action {
        AwsResponse handle(AwsRequest request, Address address);
    }

    /**
     * How a request reaches one operation: the method, the URI's path, the query parameters the URI
     * names (a sub-resource such as {@code location}, or a member the operation requires, such as
     * {@code uploadId}; with a value when the URI gives one, {@code list-type=2}) and a header the
     * operation requires.
     */
    private record S3Route(String method, ModelUri uri, String header, Action action) {

        /** Whether the request fits: its sub-resource, if any, must be one the URI names. */
        boolean matches(AwsRequest request, Address address, String subresource) {
            return method.equals(request.method()) && uri.path().equals(address.template())
                    && (subresource == null || uri.query().containsKey(subresource)) && uri.queryMatches(request)
                    && (header == null || request.header(header) != null);
        }

        /** Of two routes a request fits, the one naming more of it wins (UploadPart over PutObject). */
        int conditions() {
            return uri.query().size() + (header == null ? 0 : 1);
        }
    }

    private final FaultInjector faults;
    private final RequestSignatures signatures;
    private final String accountId;
    private final RouteTable<S3Route> routes = new RouteTable<>();

    S3Handler(BucketHandler buckets, ObjectHandler objects, MultipartHandler multipart, FaultInjector faults,
            Instance<RequestSignatures> signatures, LocalAwsConfig config) {
        this.faults = faults;
        // Signatures are checked once something knows the callers' secret keys; until then any is accepted.
        this.signatures = signatures.isResolvable() ? signatures.get() : RequestSignatures.ACCEPT_ALL;
        this.accountId = config.accountId();
        serve("ListBuckets", "GET /", (r, a) -> buckets.listBuckets(r));
        serve("CreateBucket", "PUT /{Bucket}", (r, a) -> buckets.createBucket(r, a.bucket()));
        serve("HeadBucket", "HEAD /{Bucket}", (r, a) -> buckets.headBucket(r, a.bucket()));
        serve("DeleteBucket", "DELETE /{Bucket}", (r, a) -> buckets.deleteBucket(r, a.bucket()));
        serve("ListObjects", "GET /{Bucket}", (r, a) -> buckets.listObjects(r, a.bucket(), false));
        serve("ListObjectsV2", "GET /{Bucket}?list-type=2", (r, a) -> buckets.listObjects(r, a.bucket(), true));
        serve("GetBucketLocation", "GET /{Bucket}?location", (r, a) -> buckets.location(r, a.bucket()));
        Action tagging = (r, a) -> buckets.tagging(r, a.bucket());
        serve("PutBucketTagging", "PUT /{Bucket}?tagging", tagging);
        serve("GetBucketTagging", "GET /{Bucket}?tagging", tagging);
        serve("DeleteBucketTagging", "DELETE /{Bucket}?tagging", tagging);
        Action publicAccessBlock = (r, a) -> buckets.publicAccessBlock(r, a.bucket());
        serve("PutPublicAccessBlock", "PUT /{Bucket}?publicAccessBlock", publicAccessBlock);
        serve("GetPublicAccessBlock", "GET /{Bucket}?publicAccessBlock", publicAccessBlock);
        serve("DeletePublicAccessBlock", "DELETE /{Bucket}?publicAccessBlock", publicAccessBlock);
        Action encryption = (r, a) -> buckets.encryption(r, a.bucket());
        serve("PutBucketEncryption", "PUT /{Bucket}?encryption", encryption);
        serve("GetBucketEncryption", "GET /{Bucket}?encryption", encryption);
        serve("DeleteBucketEncryption", "DELETE /{Bucket}?encryption", encryption);
        Action lifecycle = (r, a) -> buckets.lifecycle(r, a.bucket());
        serve("PutBucketLifecycleConfiguration", "PUT /{Bucket}?lifecycle", lifecycle);
        serve("GetBucketLifecycleConfiguration", "GET /{Bucket}?lifecycle", lifecycle);
        serve("DeleteBucketLifecycle", "DELETE /{Bucket}?lifecycle", lifecycle);
        serve("DeleteObjects", "POST /{Bucket}?delete", (r, a) -> buckets.deleteObjects(r, a.bucket()));
        Action versioning = (r, a) -> buckets.versioning(r, a.bucket());
        serve("GetBucketVersioning", "GET /{Bucket}?versioning", versioning);
        serve("PutBucketVersioning", "PUT /{Bucket}?versioning", versioning);
        serve("ListObjectVersions", "GET /{Bucket}?versions", (r, a) -> buckets.listObjectVersions(r, a.bucket()));
        serve("PutObject", "PUT /{Bucket}/{Key+}", (r, a) -> objects.put(r, a.bucket(), a.key()));
        serve("CopyObject", "PUT /{Bucket}/{Key+}", COPY_SOURCE, (r, a) -> objects.copy(r, a.bucket(), a.key()));
        serve("GetObject", "GET /{Bucket}/{Key+}", (r, a) -> objects.get(r, a.bucket(), a.key()));
        serve("HeadObject", "HEAD /{Bucket}/{Key+}", (r, a) -> objects.get(r, a.bucket(), a.key()));
        serve("DeleteObject", "DELETE /{Bucket}/{Key+}", (r, a) -> objects.delete(r, a.bucket(), a.key()));
        serve("CreateMultipartUpload", "POST /{Bucket}/{Key+}?uploads", (r, a) -> multipart.create(r, a.bucket(), a.key()));
        serve("UploadPart", "PUT /{Bucket}/{Key+}?uploadId", (r, a) -> multipart.uploadPart(r, a.bucket(), a.key()));
        serve("UploadPartCopy", "PUT /{Bucket}/{Key+}?uploadId", COPY_SOURCE,
                (r, a) -> multipart.uploadPartCopy(r, a.bucket(), a.key()));
        serve("CompleteMultipartUpload", "POST /{Bucket}/{Key+}?uploadId",
                (r, a) -> multipart.complete(r, a.bucket(), a.key()));
        serve("AbortMultipartUpload", "DELETE /{Bucket}/{Key+}?uploadId", (r, a) -> multipart.abort(r, a.bucket(), a.key()));
        refuse("ListParts", "GET /{Bucket}/{Key+}?uploadId", null);
    }

    private void serve(String operation, String route, Action action) {
        serve(operation, route, null, action);
    }

    /** A route that also needs a header, as CopyObject needs x-amz-copy-source on PutObject's URI. */
    private void serve(String operation, String route, String header, Action action) {
        String[] methodAndUri = route.split(" ", 2);
        routes.serve(operation, methodAndUri[0], methodAndUri[1],
                new S3Route(methodAndUri[0], ModelUri.of(methodAndUri[1]), header, action));
    }

    private void refuse(String operation, String route, String header) {
        String[] methodAndUri = route.split(" ", 2);
        routes.refuse(operation, methodAndUri[0], methodAndUri[1], new S3Route(methodAndUri[0], ModelUri.of(methodAndUri[1]), header,
                (r, a) -> {
                    throw S3Exception.operationNotImplemented(operation);
                }));
    }

    @Override
    public Route route() {
        return Route.signingName("s3");
    }

    @Override
    public boolean blocking() {
        return true;
    }

    /**
     * Objects and parts (up to 5 GiB each, S3's single PUT limit) are received into a file, never
     * held in memory; a larger one is refused with EntityTooLarge before it is read. Every other
     * body (the XML of bucket and multipart operations) is small and read into memory.
     */
    @Override
    public BodyLimit bodyLimit(AwsRequest head) {
        String operation;
        try {
            RouteTable.Row<S3Route> row = route(head, address(head));
            operation = row == null ? "" : row.operation().name();
        } catch (S3Exception badAddress) {
            operation = "";
        }
        if (!operation.equals("PutObject") && !operation.equals("UploadPart")) {
            return new BodyLimit(MAX_REQUEST_BYTES, false, (size, max) -> new S3Exception(400, "MaxMessageLengthExceeded",
                    "Your request was too big.").with("MaxMessageLengthBytes", max));
        }
        long decoded = decodedLength(head);
        if (decoded > MAX_OBJECT_BYTES) {
            // Said by x-amz-decoded-content-length: refused before anything of the body is read.
            return new BodyLimit(0, true, (size, max) -> entityTooLarge(decoded));
        }
        // aws-chunked framing adds a few bytes per chunk of at least 8 KiB: well under 1/64 of the object.
        long max = Payload.chunked(head) ? MAX_OBJECT_BYTES + MAX_OBJECT_BYTES / 64 : MAX_OBJECT_BYTES;
        return new BodyLimit(max, true, (size, limit) -> entityTooLarge(size));
    }

    private static long decodedLength(AwsRequest head) {
        String value = head.header("x-amz-decoded-content-length");
        try {
            return value == null ? -1 : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static S3Exception entityTooLarge(long size) {
        return new S3Exception(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed object size.")
                .with("ProposedSize", size).with("MaxSizeAllowed", MAX_OBJECT_BYTES);
    }

    @Override
    public AwsResponse handle(AwsRequest request) {
        Address address = address(request);
        authenticate(request, address);
        RouteTable.Row<S3Route> row = route(request, address);
        String operation = row != null ? row.operation().name() : unrouted(request, address);
        faults.check("s3", operation);
        for (String owner : new String[] {"x-amz-expected-bucket-owner", "x-amz-source-expected-bucket-owner"}) {
            String expectedOwner = request.header(owner);
            if (expectedOwner != null && !expectedOwner.trim().equals(accountId)) {
                // Every bucket here belongs to the local account, so any other expected owner is refused.
                throw new S3Exception(403, "AccessDenied", "Access Denied");
            }
        }
        if (row == null) {
            throw S3Exception.operationNotImplemented(operation);
        }
        return row.handler().action().handle(request, address);
    }

    @Override
    public List<Operation> operations() {
        return routes.operations();
    }

    /**
     * The IAM actions of S3's operations, which are not named like them (HeadBucket is
     * s3:ListBucket, the public access block s3:PutBucketPublicAccessBlock, a deletion of tags or
     * of a configuration is the action that puts it), as AWS's service authorization reference maps them.
     */
    private static final Map<String, String> ACTIONS = Map.ofEntries(
            Map.entry("ListBuckets", "ListAllMyBuckets"), Map.entry("HeadBucket", "ListBucket"),
            Map.entry("ListObjects", "ListBucket"), Map.entry("ListObjectsV2", "ListBucket"),
            Map.entry("DeleteBucketTagging", "PutBucketTagging"),
            Map.entry("PutPublicAccessBlock", "PutBucketPublicAccessBlock"),
            Map.entry("GetPublicAccessBlock", "GetBucketPublicAccessBlock"),
            Map.entry("DeletePublicAccessBlock", "PutBucketPublicAccessBlock"),
            Map.entry("PutBucketEncryption", "PutEncryptionConfiguration"),
            Map.entry("GetBucketEncryption", "GetEncryptionConfiguration"),
            Map.entry("DeleteBucketEncryption", "PutEncryptionConfiguration"),
            Map.entry("PutBucketLifecycleConfiguration", "PutLifecycleConfiguration"),
            Map.entry("GetBucketLifecycleConfiguration", "GetLifecycleConfiguration"),
            Map.entry("DeleteBucketLifecycle", "PutLifecycleConfiguration"),
            Map.entry("ListObjectVersions", "ListBucketVersions"), Map.entry("CopyObject", "PutObject"),
            Map.entry("HeadObject", "GetObject"), Map.entry("CreateMultipartUpload", "PutObject"),
            Map.entry("UploadPart", "PutObject"), Map.entry("UploadPartCopy", "PutObject"),
            Map.entry("CompleteMultipartUpload", "PutObject"), Map.entry("ListParts", "ListMultipartUploadParts"));

    /**
     * The S3 action of the operation on the bucket ({@code arn:aws:s3:::bucket}) or the object
     * ({@code arn:aws:s3:::bucket/key}) it addresses; DeleteObjects needs s3:DeleteObject on every
     * key it names, a copy s3:GetObject on its source too.
     */
    @Override
    public List<Access> access(AwsRequest request) {
        Address address = address(request);
        RouteTable.Row<S3Route> row = route(request, address);
        if (row == null) {
            return List.of();
        }
        String operation = row.operation().name();
        String action = "s3:" + ACTIONS.getOrDefault(operation, operation);
        String bucketArn = address.bucket() == null ? "*" : "arn:aws:s3:::" + address.bucket();
        List<Access> needed = new ArrayList<>();
        if (operation.equals("DeleteObjects")) {
            for (XmlReader.Element o : XmlReader.parse(request.body()).children("Object")) {
                needed.add(Access.of("s3:DeleteObject", bucketArn + "/" + o.childText("Key")));
            }
            return needed;
        }
        needed.add(Access.of(action, address.key() == null ? bucketArn : bucketArn + "/" + address.key()));
        String source = request.header(COPY_SOURCE);
        if (source != null && (operation.equals("CopyObject") || operation.equals("UploadPartCopy"))) {
            String path = source.startsWith("/") ? source.substring(1) : source;
            int query = path.indexOf('?');
            path = RestXmlProtocol.decodePath(query < 0 ? path : path.substring(0, query));
            needed.add(Access.of("s3:GetObject", "arn:aws:s3:::" + path));
        }
        return needed;
    }

    @Override
    public CallerErrors callerErrors() {
        return CallerErrors.S3;
    }

    @Override
    public AwsResponse error(AwsRequest request, AwsServiceException error) {
        Map<String, String> details = new LinkedHashMap<>();
        if (error instanceof S3Exception s3) {
            details.putAll(s3.details());
        }
        details.put("Resource", request.rawPath());
        return RestXmlProtocol.error(request, error, details);
    }

    /**
     * Query-string authentication (a presigned URL): its parameters checked and its expiry enforced
     * as S3 does, then its signature handed to the verifier.
     */
    private void authenticate(AwsRequest request, Address address) {
        QueryAuth auth = QueryAuth.read(request, Instant.now());
        if (auth == null) {
            return;
        }
        RequestSignatures.Signed signed = auth.signed(request, address.bucket(), hostBucket(request.host()) != null);
        switch (signatures.verify(signed)) {
            case VALID -> {
            }
            case UNKNOWN_ACCESS_KEY -> throw new S3Exception(403, "InvalidAccessKeyId",
                    "The AWS Access Key Id you provided does not exist in our records.")
                    .with("AWSAccessKeyId", signed.accessKeyId());
            case SIGNATURE_MISMATCH -> throw new S3Exception(403, "SignatureDoesNotMatch",
                    "The request signature we calculated does not match the signature you provided. "
                            + "Check your key and signing method.")
                    .with("AWSAccessKeyId", signed.accessKeyId())
                    .with("StringToSign", signed.stringToSign())
                    .with("SignatureProvided", signed.signature());
        }
    }

    private static Set<String> union(Set<String> base, String... more) {
        Set<String> all = new HashSet<>(base);
        all.addAll(Set.of(more));
        return Set.copyOf(all);
    }

    /** The row of the table the request fits best; null when none does. */
    private RouteTable.Row<S3Route> route(AwsRequest request, Address address) {
        String sub = subresource(request, address.key() == null ? BUCKET_ARGUMENTS : OBJECT_ARGUMENTS);
        RouteTable.Row<S3Route> best = null;
        for (RouteTable.Row<S3Route> row : routes.rows()) {
            if (row.handler().matches(request, address, sub)
                    && (best == null || row.handler().conditions() > best.handler().conditions())) {
                best = row;
            }
        }
        return best;
    }

    /** A request S3 might serve but this endpoint does not, described for its NotImplemented: "GET ?acl". */
    private static String unrouted(AwsRequest request, Address address) {
        String sub = subresource(request, address.key() == null ? BUCKET_ARGUMENTS : OBJECT_ARGUMENTS);
        String target = address.bucket() == null ? " /" : address.key() == null ? " on a bucket" : " on an object";
        return request.method() + (sub == null ? target : " ?" + sub);
    }

    /** The first query parameter that names a sub-resource rather than an argument; null when none. */
    private static String subresource(AwsRequest request, Set<String> arguments) {
        for (String name : request.queryParams().keySet()) {
            if (!arguments.contains(name)) {
                return name;
            }
        }
        return null;
    }

    /** Bucket and key from a virtual-hosted Host header, else from the path. */
    static Address address(AwsRequest request) {
        String path;
        try {
            path = RestXmlProtocol.decodePath(request.rawPath());
        } catch (IllegalArgumentException e) {
            throw new S3Exception(400, "InvalidURI", "Couldn't parse the specified URI.").with("URI", request.rawPath());
        }
        String hostBucket = hostBucket(request.host());
        String rest = path.startsWith("/") ? path.substring(1) : path;
        if (hostBucket != null) {
            return new Address(hostBucket, rest.isEmpty() ? null : rest);
        }
        if (rest.isEmpty()) {
            return new Address(null, null);
        }
        int slash = rest.indexOf('/');
        if (slash < 0 || slash == rest.length() - 1) {
            return new Address(slash < 0 ? rest : rest.substring(0, slash), null);
        }
        return new Address(rest.substring(0, slash), rest.substring(slash + 1));
    }

    /** "bucket.localhost:4566", "bucket.s3.localhost", "bucket.s3.us-east-1.amazonaws.com" → "bucket". */
    static String hostBucket(String hostHeader) {
        String host = hostHeader.toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            return null;
        }
        int colon = host.lastIndexOf(':');
        if (colon >= 0) {
            host = host.substring(0, colon);
        }
        if (host.endsWith(".localhost")) {
            String bucket = host.substring(0, host.length() - ".localhost".length());
            return bucket.endsWith(".s3") ? bucket.substring(0, bucket.length() - 3) : bucket;
        }
        Matcher m = S3_HOST.matcher(host);
        return m.matches() ? m.group(1) : null;
    }
}
