package dev.clicklog.localaws.s3;

import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
import dev.clicklog.localaws.http.ServiceHandler;
import dev.clicklog.localaws.protocol.AwsServiceException;
import dev.clicklog.localaws.protocol.RestXmlProtocol;
import dev.clicklog.localaws.spi.RequestSignatures;

/**
 * S3 over REST-XML. Finds the bucket and key (path-style {@code /bucket/key} or a virtual-hosted
 * {@code bucket.localhost} / {@code bucket.s3.…} host), picks the operation from the method and
 * sub-resource, and hands it to the bucket or object operations. Sub-resources it does not serve
 * answer S3's NotImplemented. Handling is blocking: object bodies live on disk.
 */
@ApplicationScoped
public class S3Handler implements ServiceHandler {

    static final String XMLNS = "http://s3.amazonaws.com/doc/2006-03-01/";

    /** Query parameters of bucket requests that are arguments, not sub-resources. */
    private static final Set<String> BUCKET_ARGUMENTS = union(QueryAuth.PARAMETERS, "list-type", "prefix", "delimiter",
            "marker", "max-keys", "encoding-type", "continuation-token", "start-after", "fetch-owner", "x-id", "max-buckets",
            "bucket-region", "key-marker", "version-id-marker");
    /** Query parameters of object requests that are arguments, not sub-resources. */
    private static final Set<String> OBJECT_ARGUMENTS = union(QueryAuth.PARAMETERS, "versionId", "partNumber", "uploadId",
            "x-id", "response-content-type", "response-content-language", "response-expires", "response-cache-control",
            "response-content-disposition", "response-content-encoding");
    private static final Pattern S3_HOST = Pattern.compile("^(.+)\\.s3[.-].*$");

    /** Which bucket and key a request addresses; null bucket for the service (ListBuckets). */
    record Address(String bucket, String key) {
    }

    private final BucketHandler buckets;
    private final ObjectHandler objects;
    private final MultipartHandler multipart;
    private final FaultInjector faults;
    private final RequestSignatures signatures;
    private final String accountId;

    S3Handler(BucketHandler buckets, ObjectHandler objects, MultipartHandler multipart, FaultInjector faults,
            Instance<RequestSignatures> signatures, LocalAwsConfig config) {
        this.buckets = buckets;
        this.objects = objects;
        this.multipart = multipart;
        this.faults = faults;
        // Signatures are checked once something knows the callers' secret keys; until then any is accepted.
        this.signatures = signatures.isResolvable() ? signatures.get() : RequestSignatures.ACCEPT_ALL;
        this.accountId = config.accountId();
    }

    @Override
    public Route route() {
        return Route.signingName("s3");
    }

    @Override
    public boolean blocking() {
        return true;
    }

    @Override
    public AwsResponse handle(AwsRequest request) {
        Address address = address(request);
        authenticate(request, address);
        String operation = operation(request, address);
        faults.check("s3", operation);
        for (String owner : new String[] {"x-amz-expected-bucket-owner", "x-amz-source-expected-bucket-owner"}) {
            String expectedOwner = request.header(owner);
            if (expectedOwner != null && !expectedOwner.trim().equals(accountId)) {
                // Every bucket here belongs to the local account, so any other expected owner is refused.
                throw new S3Exception(403, "AccessDenied", "Access Denied");
            }
        }
        String bucket = address.bucket();
        String key = address.key();
        return switch (operation) {
            case "ListBuckets" -> buckets.listBuckets(request);
            case "CreateBucket" -> buckets.createBucket(request, bucket);
            case "HeadBucket" -> buckets.headBucket(request, bucket);
            case "DeleteBucket" -> buckets.deleteBucket(request, bucket);
            case "ListObjects" -> buckets.listObjects(request, bucket, false);
            case "ListObjectsV2" -> buckets.listObjects(request, bucket, true);
            case "GetBucketLocation" -> buckets.location(request, bucket);
            case "PutBucketTagging", "GetBucketTagging", "DeleteBucketTagging" -> buckets.tagging(request, bucket);
            case "PutPublicAccessBlock", "GetPublicAccessBlock", "DeletePublicAccessBlock" ->
                buckets.publicAccessBlock(request, bucket);
            case "PutBucketEncryption", "GetBucketEncryption", "DeleteBucketEncryption" -> buckets.encryption(request, bucket);
            case "PutBucketLifecycleConfiguration", "GetBucketLifecycleConfiguration", "DeleteBucketLifecycle" ->
                buckets.lifecycle(request, bucket);
            case "DeleteObjects" -> buckets.deleteObjects(request, bucket);
            case "GetBucketVersioning", "PutBucketVersioning" -> buckets.versioning(request, bucket);
            case "ListObjectVersions" -> buckets.listObjectVersions(request, bucket);
            case "PutObject" -> objects.put(request, bucket, key);
            case "CopyObject" -> objects.copy(request, bucket, key);
            case "GetObject", "HeadObject" -> objects.get(request, bucket, key);
            case "DeleteObject" -> objects.delete(request, bucket, key);
            case "CreateMultipartUpload" -> multipart.create(request, bucket, key);
            case "UploadPart" -> multipart.uploadPart(request, bucket, key);
            case "UploadPartCopy" -> multipart.uploadPartCopy(request, bucket, key);
            case "CompleteMultipartUpload" -> multipart.complete(request, bucket, key);
            case "AbortMultipartUpload" -> multipart.abort(request, bucket, key);
            default -> throw S3Exception.operationNotImplemented(operation);
        };
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

    /**
     * The operation's name as AWS and FaultInjector know it; for a request S3 would serve but this
     * endpoint does not, a description such as "GET ?acl" (answered NotImplemented).
     */
    static String operation(AwsRequest request, Address address) {
        String method = request.method();
        if (address.bucket() == null) {
            return method.equals("GET") ? "ListBuckets" : method + " /";
        }
        if (address.key() == null) {
            String sub = subresource(request, BUCKET_ARGUMENTS);
            return switch (method + (sub == null ? "" : "?" + sub)) {
                case "PUT" -> "CreateBucket";
                case "HEAD" -> "HeadBucket";
                case "DELETE" -> "DeleteBucket";
                case "GET" -> "2".equals(request.queryParam("list-type")) ? "ListObjectsV2" : "ListObjects";
                case "GET?location" -> "GetBucketLocation";
                case "PUT?tagging" -> "PutBucketTagging";
                case "GET?tagging" -> "GetBucketTagging";
                case "DELETE?tagging" -> "DeleteBucketTagging";
                case "PUT?publicAccessBlock" -> "PutPublicAccessBlock";
                case "GET?publicAccessBlock" -> "GetPublicAccessBlock";
                case "DELETE?publicAccessBlock" -> "DeletePublicAccessBlock";
                case "PUT?encryption" -> "PutBucketEncryption";
                case "GET?encryption" -> "GetBucketEncryption";
                case "DELETE?encryption" -> "DeleteBucketEncryption";
                case "PUT?lifecycle" -> "PutBucketLifecycleConfiguration";
                case "GET?lifecycle" -> "GetBucketLifecycleConfiguration";
                case "DELETE?lifecycle" -> "DeleteBucketLifecycle";
                case "POST?delete" -> "DeleteObjects";
                case "GET?versioning" -> "GetBucketVersioning";
                case "PUT?versioning" -> "PutBucketVersioning";
                case "GET?versions" -> "ListObjectVersions";
                default -> sub == null ? method + " on a bucket" : method + " ?" + sub;
            };
        }
        String sub = subresource(request, OBJECT_ARGUMENTS);
        boolean upload = request.hasQueryParam("uploadId");
        boolean copy = request.header("x-amz-copy-source") != null;
        if (sub != null) {
            return method.equals("POST") && sub.equals("uploads") ? "CreateMultipartUpload" : method + " ?" + sub;
        }
        return switch (method) {
            case "PUT" -> copy ? (upload ? "UploadPartCopy" : "CopyObject") : upload ? "UploadPart" : "PutObject";
            case "GET" -> upload ? "ListParts" : "GetObject";
            case "HEAD" -> "HeadObject";
            case "DELETE" -> upload ? "AbortMultipartUpload" : "DeleteObject";
            case "POST" -> upload ? "CompleteMultipartUpload" : "POST on an object";
            default -> method + " on an object";
        };
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
