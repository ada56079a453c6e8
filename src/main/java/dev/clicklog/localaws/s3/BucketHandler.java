package dev.clicklog.localaws.s3;

import java.nio.charset.StandardCharsets;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import dev.clicklog.localaws.LocalAwsConfig;
import dev.clicklog.localaws.http.AwsRequest;
import dev.clicklog.localaws.http.UriEncoding;
import dev.clicklog.localaws.http.AwsResponse;
import dev.clicklog.localaws.protocol.RestXmlProtocol;
import dev.clicklog.localaws.protocol.XmlReader;
import dev.clicklog.localaws.protocol.XmlReader.Element;
import dev.clicklog.localaws.protocol.XmlWriter;

/** The wire side of S3's bucket operations: listing, creation, deletion and configuration sub-resources. */
@ApplicationScoped
class BucketHandler {

    private static final String XMLNS = S3Handler.XMLNS;
    private static final int MAX_KEYS = 1000;
    /** The version id of every object in a bucket that was never versioned. */
    static final String NULL_VERSION = "null";
    private static final int MAX_DELETE_OBJECTS = 1000;
    private static final int MAX_BUCKET_TAGS = 50;
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d+|EU");
    private static final Set<String> SSE_ALGORITHMS = Set.of("AES256", "aws:kms", "aws:kms:dsse");
    private static final Set<String> LIFECYCLE_RULE_ELEMENTS = Set.of("ID", "Filter", "Prefix", "Status", "Expiration",
            "Transition", "NoncurrentVersionTransition", "NoncurrentVersionExpiration", "AbortIncompleteMultipartUpload");
    private static final Set<String> LIFECYCLE_ACTIONS = Set.of("Expiration", "Transition", "NoncurrentVersionTransition",
            "NoncurrentVersionExpiration", "AbortIncompleteMultipartUpload");
    /** The transition minimum S3 applies to lifecycle configurations since September 2024. */
    private static final String TRANSITION_MINIMUM = "all_storage_classes_128K";

    private final S3Service store;
    private final LocalAwsConfig config;

    BucketHandler(S3Service store, LocalAwsConfig config) {
        this.store = store;
        this.config = config;
    }

    AwsResponse listBuckets(AwsRequest request) {
        String prefix = request.queryParam("prefix");
        String region = request.queryParam("bucket-region");
        Integer max = intParam(request, "max-buckets", 1, 10_000);
        String after = request.queryParam("continuation-token") == null ? null : decodeToken(request, "B").substring(1);
        XmlWriter xml = new XmlWriter().start("ListAllMyBucketsResult", XMLNS);
        xml.start("Owner").element("ID", store.ownerId()).end().start("Buckets");
        String last = null;
        int count = 0;
        boolean more = false;
        for (Bucket b : store.buckets()) {
            if ((prefix != null && !b.name.startsWith(prefix)) || (region != null && !region.equals(b.region))
                    || (after != null && b.name.compareTo(after) <= 0)) {
                continue;
            }
            if (max != null && count == max) {
                more = true;
                break;
            }
            xml.start("Bucket").element("Name", b.name).element("CreationDate", b.created)
                    .element("BucketRegion", b.region).element("BucketArn", "arn:aws:s3:::" + b.name).end();
            last = b.name;
            count++;
        }
        xml.end().element("ContinuationToken", more ? token('B', last) : null).element("Prefix", prefix).end();
        return RestXmlProtocol.xml(request, 200, xml);
    }

    AwsResponse createBucket(AwsRequest request, String name) {
        BucketNames.check(name);
        Payload payload = Payload.read(request, true);
        String acl = request.header("x-amz-acl");
        if ((acl != null && !acl.equals("private")) || hasGrantHeader(request)) {
            throw new S3Exception(400, "InvalidBucketAclWithObjectOwnership",
                    "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting");
        }
        String ownership = request.header("x-amz-object-ownership");
        if (ownership != null && !ownership.equals("BucketOwnerEnforced")) {
            throw S3Exception.notImplemented("x-amz-object-ownership");
        }
        if ("true".equalsIgnoreCase(request.header("x-amz-bucket-object-lock-enabled"))) {
            throw S3Exception.notImplemented("x-amz-bucket-object-lock-enabled");
        }
        String constraint = null;
        Map<String, String> tags = null;
        if (payload.data().length > 0) {
            Element root = parse(payload.data(), "CreateBucketConfiguration");
            for (Element child : root.children()) {
                switch (child.name()) {
                    case "LocationConstraint" -> constraint = child.text().trim();
                    case "Tags" -> tags = tagSet(child);
                    default -> throw S3Exception.malformedXml();
                }
            }
        }
        String region = bucketRegion(request, constraint);
        store.createBucket(name, region, tags);
        return RestXmlProtocol.empty(request, 200).header("Location", "/" + name).header("x-amz-bucket-arn", "arn:aws:s3:::" + name);
    }

    /**
     * The region the bucket goes to. Outside us-east-1 the constraint must name the endpoint's
     * region; us-east-1 accepts any region, but not itself spelled out.
     */
    private String bucketRegion(AwsRequest request, String constraint) {
        String requestRegion = request.region(config.defaultRegion());
        if (constraint == null || constraint.isEmpty()) {
            if (!S3Service.US_EAST_1.equals(requestRegion)) {
                throw new S3Exception(400, "IllegalLocationConstraintException", "The unspecified location constraint "
                        + "is incompatible for the region specific endpoint this request was sent to.");
            }
            return S3Service.US_EAST_1;
        }
        if (constraint.equals(S3Service.US_EAST_1) || !REGION.matcher(constraint).matches()) {
            throw new S3Exception(400, "InvalidLocationConstraint", "The specified location-constraint is not valid")
                    .with("LocationConstraint", constraint);
        }
        if (!S3Service.US_EAST_1.equals(requestRegion) && !constraint.equals(requestRegion)) {
            throw new S3Exception(400, "IllegalLocationConstraintException", "The " + constraint
                    + " location constraint is incompatible for the region specific endpoint this request was sent to.");
        }
        return constraint;
    }

    AwsResponse headBucket(AwsRequest request, String name) {
        Bucket b = store.bucket(name);
        return RestXmlProtocol.empty(request, 200)
                .header("x-amz-bucket-region", b.region)
                .header("x-amz-access-point-alias", "false")
                .header("x-amz-bucket-arn", "arn:aws:s3:::" + b.name);
    }

    AwsResponse deleteBucket(AwsRequest request, String name) {
        store.deleteBucket(name);
        return RestXmlProtocol.empty(request, 204);
    }

    AwsResponse location(AwsRequest request, String name) {
        Bucket b = store.bucket(name);
        XmlWriter xml = new XmlWriter().start("LocationConstraint", XMLNS);
        if (!S3Service.US_EAST_1.equals(b.region)) {
            xml.text(b.region);
        }
        return RestXmlProtocol.xml(request, 200, xml.end());
    }

    /** What every listing takes: prefix, delimiter, encoding-type and max-keys, checked as S3 checks them. */
    private record ListingParams(String prefix, String delimiter, String encodingType, int maxKeys) {

        static ListingParams of(AwsRequest request) {
            String delimiter = request.queryParam("delimiter");
            String encodingType = request.queryParam("encoding-type");
            if (encodingType != null && !encodingType.equals("url")) {
                throw S3Exception.invalidArgument("Invalid Encoding Method specified in Request", "encoding-type", encodingType);
            }
            Integer requestedMax = intParam(request, "max-keys", 0, Integer.MAX_VALUE);
            return new ListingParams(request.queryParam("prefix"), delimiter == null || delimiter.isEmpty() ? null : delimiter,
                    encodingType, requestedMax == null ? MAX_KEYS : Math.min(requestedMax, MAX_KEYS));
        }

        /** A key, prefix, delimiter or marker as the response shows it: URL-encoded when encoding-type=url. */
        String shown(String value) {
            return value == null || encodingType == null ? value : UriEncoding.encode(value, true);
        }
    }

    /** ListObjects (v1, marker-based) and ListObjectsV2 (continuation tokens). */
    AwsResponse listObjects(AwsRequest request, String name, boolean v2) {
        Bucket bucket = store.bucket(name);
        ListingParams params = ListingParams.of(request);
        String prefix = params.prefix();
        String delimiter = params.delimiter();
        String token = v2 ? request.queryParam("continuation-token") : null;
        if (token != null && token.isEmpty()) {
            // An empty token is no token: the listing starts at the beginning (or at start-after).
            token = null;
        }
        String startAfter = v2 ? request.queryParam("start-after") : request.queryParam("marker");
        ObjectListing.Cursor cursor = null;
        if (token != null) {
            String decoded = decodeToken(request, "KP");
            cursor = new ObjectListing.Cursor(decoded.substring(1), decoded.charAt(0) == 'P');
        } else if (startAfter != null && !startAfter.isEmpty()) {
            cursor = ObjectListing.after(startAfter, prefix, delimiter);
        }
        ObjectListing.Page page = ObjectListing.list(bucket.objects, prefix, delimiter, cursor, params.maxKeys());
        boolean owner = !v2 || "true".equals(request.queryParam("fetch-owner"));

        // S3 encodes the Prefix of ListObjectsV2 but not that of ListObjects (v1); clients decode accordingly.
        XmlWriter xml = new XmlWriter().start("ListBucketResult", XMLNS)
                .element("Name", name)
                .element("Prefix", v2 ? params.shown(prefix == null ? "" : prefix) : prefix == null ? "" : prefix);
        if (v2) {
            xml.element("KeyCount", page.keyCount())
                    .element("ContinuationToken", token)
                    .element("NextContinuationToken", page.next() == null ? null
                            : token(page.next().wholePrefix() ? 'P' : 'K', page.next().after()))
                    .element("StartAfter", params.shown(startAfter));
        } else {
            xml.element("Marker", params.shown(startAfter == null ? "" : startAfter));
            // S3 returns NextMarker only with a delimiter; without one, callers continue from the last key.
            if (delimiter != null && page.next() != null) {
                xml.element("NextMarker", params.shown(page.next().after()));
            }
        }
        xml.element("MaxKeys", params.maxKeys())
                .element("Delimiter", params.shown(delimiter))
                .element("EncodingType", params.encodingType())
                .element("IsTruncated", page.truncated());
        for (S3Object o : page.contents()) {
            xml.start("Contents")
                    .element("Key", params.shown(o.key()))
                    .element("LastModified", o.lastModified())
                    .element("ETag", o.etag());
            checksumElements(xml, o);
            xml.element("Size", o.size());
            if (owner) {
                xml.start("Owner").element("ID", store.ownerId()).end();
            }
            xml.element("StorageClass", o.metadata().storageClass()).end();
        }
        commonPrefixes(xml, page, params);
        return RestXmlProtocol.xml(request, 200, xml.end());
    }

    /**
     * ListObjectVersions. Versioning is never enabled here, so each object is its one version, the
     * "null" version, always the latest, and there are no delete markers; paging resumes after
     * key-marker (whose only version is "null").
     */
    AwsResponse listObjectVersions(AwsRequest request, String name) {
        Bucket bucket = store.bucket(name);
        ListingParams params = ListingParams.of(request);
        String keyMarker = request.queryParam("key-marker");
        String versionIdMarker = request.queryParam("version-id-marker");
        if (versionIdMarker != null && !versionIdMarker.isEmpty()) {
            if (keyMarker == null || keyMarker.isEmpty()) {
                throw S3Exception.invalidArgument("A version-id marker cannot be specified without a key marker.",
                        "version-id-marker", versionIdMarker);
            }
            if (!versionIdMarker.equals(NULL_VERSION)) {
                throw S3Exception.invalidArgument("Invalid version id specified", "version-id-marker", versionIdMarker);
            }
        }
        ObjectListing.Cursor cursor = keyMarker == null || keyMarker.isEmpty() ? null
                : ObjectListing.after(keyMarker, params.prefix(), params.delimiter());
        ObjectListing.Page page = ObjectListing.list(bucket.objects, params.prefix(), params.delimiter(), cursor,
                params.maxKeys());
        XmlWriter xml = new XmlWriter().start("ListVersionsResult", XMLNS)
                .element("Name", name)
                .element("Prefix", params.shown(params.prefix() == null ? "" : params.prefix()))
                .element("KeyMarker", params.shown(keyMarker == null ? "" : keyMarker))
                .element("VersionIdMarker", versionIdMarker == null ? "" : versionIdMarker);
        if (page.next() != null) {
            xml.element("NextKeyMarker", params.shown(page.next().after()));
            if (!page.next().wholePrefix()) {
                xml.element("NextVersionIdMarker", NULL_VERSION);
            }
        }
        xml.element("MaxKeys", params.maxKeys())
                .element("Delimiter", params.shown(params.delimiter()))
                .element("EncodingType", params.encodingType())
                .element("IsTruncated", page.truncated());
        for (S3Object o : page.contents()) {
            xml.start("Version")
                    .element("Key", params.shown(o.key()))
                    .element("VersionId", NULL_VERSION)
                    .element("IsLatest", true)
                    .element("LastModified", o.lastModified())
                    .element("ETag", o.etag());
            checksumElements(xml, o);
            xml.element("Size", o.size())
                    .start("Owner").element("ID", store.ownerId()).end()
                    .element("StorageClass", o.metadata().storageClass())
                    .end();
        }
        commonPrefixes(xml, page, params);
        return RestXmlProtocol.xml(request, 200, xml.end());
    }

    private static void checksumElements(XmlWriter xml, S3Object o) {
        if (o.checksum() != null) {
            xml.element("ChecksumAlgorithm", o.checksum().algorithm().name())
                    .element("ChecksumType", o.checksum().type().name());
        }
    }

    private static void commonPrefixes(XmlWriter xml, ObjectListing.Page page, ListingParams params) {
        for (String common : page.commonPrefixes()) {
            xml.start("CommonPrefixes").element("Prefix", params.shown(common)).end();
        }
    }

    /**
     * GetBucketVersioning and PutBucketVersioning. Buckets here are never versioned: the status is
     * empty, as S3 shows a bucket that never had versioning. Turning it on (Enabled), or Suspended —
     * which on S3 is a state of its own, with null delete markers — is not served.
     */
    AwsResponse versioning(AwsRequest request, String name) {
        store.bucket(name);
        if (request.method().equals("GET")) {
            return RestXmlProtocol.xml(request, 200, new XmlWriter().start("VersioningConfiguration", XMLNS).end());
        }
        Element root = parse(Payload.read(request, true).requireIntegrity().data(), "VersioningConfiguration");
        for (Element child : root.children()) {
            if (!child.name().equals("Status") && !child.name().equals("MfaDelete")) {
                throw S3Exception.malformedXml();
            }
        }
        String status = root.childText("Status");
        String mfaDelete = root.childText("MfaDelete");
        if ((status != null && !Set.of("Enabled", "Suspended").contains(status.trim()))
                || (mfaDelete != null && !Set.of("Enabled", "Disabled").contains(mfaDelete.trim()))) {
            throw S3Exception.malformedXml();
        }
        if (status != null) {
            throw new S3Exception(501, "NotImplemented", "Bucket versioning (" + status.trim() + ") is not implemented: "
                    + "this endpoint keeps one version, the null version, of each object");
        }
        if (mfaDelete != null) {
            throw S3Exception.notImplemented("MfaDelete");
        }
        // A configuration without a status changes nothing on a bucket that was never versioned.
        return RestXmlProtocol.empty(request, 200);
    }

    AwsResponse tagging(AwsRequest request, String name) {
        Bucket bucket = store.bucket(name);
        switch (request.method()) {
            case "PUT" -> {
                Element root = parse(Payload.read(request, true).requireIntegrity().data(), "Tagging");
                Element set = root.child("TagSet");
                if (set == null) {
                    throw S3Exception.malformedXml();
                }
                store.configure(bucket, s -> s.withTags(tagSet(set)));
                return RestXmlProtocol.empty(request, 204);
            }
            case "DELETE" -> {
                store.configure(bucket, s -> s.withTags(null));
                return RestXmlProtocol.empty(request, 204);
            }
            default -> {
                Map<String, String> tags = bucket.tags;
                if (tags == null) {
                    throw new S3Exception(404, "NoSuchTagSet", "The TagSet does not exist").with("BucketName", name);
                }
                XmlWriter xml = new XmlWriter().start("Tagging", XMLNS).start("TagSet");
                tags.forEach((k, v) -> xml.start("Tag").element("Key", k).element("Value", v).end());
                return RestXmlProtocol.xml(request, 200, xml.end().end());
            }
        }
    }

    AwsResponse publicAccessBlock(AwsRequest request, String name) {
        Bucket bucket = store.bucket(name);
        switch (request.method()) {
            case "PUT" -> {
                Element root = parse(Payload.read(request, true).requireIntegrity().data(), "PublicAccessBlockConfiguration");
                Bucket.PublicAccessBlock pab = new Bucket.PublicAccessBlock(flag(root, "BlockPublicAcls"),
                        flag(root, "IgnorePublicAcls"), flag(root, "BlockPublicPolicy"), flag(root, "RestrictPublicBuckets"));
                store.configure(bucket, s -> s.withPublicAccessBlock(pab));
                return RestXmlProtocol.empty(request, 200);
            }
            case "DELETE" -> {
                store.configure(bucket, s -> s.withPublicAccessBlock(null));
                return RestXmlProtocol.empty(request, 204);
            }
            default -> {
                Bucket.PublicAccessBlock pab = bucket.publicAccessBlock;
                if (pab == null) {
                    throw new S3Exception(404, "NoSuchPublicAccessBlockConfiguration",
                            "The public access block configuration was not found").with("BucketName", name);
                }
                XmlWriter xml = new XmlWriter().start("PublicAccessBlockConfiguration", XMLNS)
                        .element("BlockPublicAcls", pab.blockPublicAcls())
                        .element("IgnorePublicAcls", pab.ignorePublicAcls())
                        .element("BlockPublicPolicy", pab.blockPublicPolicy())
                        .element("RestrictPublicBuckets", pab.restrictPublicBuckets());
                return RestXmlProtocol.xml(request, 200, xml.end());
            }
        }
    }

    AwsResponse encryption(AwsRequest request, String name) {
        Bucket bucket = store.bucket(name);
        switch (request.method()) {
            case "PUT" -> {
                Element root = parse(Payload.read(request, true).requireIntegrity().data(), "ServerSideEncryptionConfiguration");
                List<Element> rules = root.children("Rule");
                Element byDefault = rules.size() == 1 ? rules.get(0).child("ApplyServerSideEncryptionByDefault") : null;
                String algorithm = byDefault == null ? null : byDefault.childText("SSEAlgorithm");
                if (algorithm == null || !SSE_ALGORITHMS.contains(algorithm.trim())) {
                    throw S3Exception.malformedXml();
                }
                String keyId = byDefault.childText("KMSMasterKeyID");
                if (keyId != null && algorithm.trim().equals("AES256")) {
                    throw S3Exception.invalidArgument("a KMSMasterKeyID is not applicable if the default sse algorithm is "
                            + "not aws:kms or aws:kms:dsse", "ApplyServerSideEncryptionByDefault", null);
                }
                Bucket.Encryption encryption = new Bucket.Encryption(algorithm.trim(), keyId == null ? null : keyId.trim(),
                        flag(rules.get(0), "BucketKeyEnabled"));
                store.configure(bucket, s -> s.withEncryption(encryption));
                return RestXmlProtocol.empty(request, 200);
            }
            case "DELETE" -> {
                store.configure(bucket, s -> s.withEncryption(Bucket.Encryption.SSE_S3));
                return RestXmlProtocol.empty(request, 204);
            }
            default -> {
                Bucket.Encryption e = bucket.encryption;
                XmlWriter xml = new XmlWriter().start("ServerSideEncryptionConfiguration", XMLNS).start("Rule")
                        .start("ApplyServerSideEncryptionByDefault")
                        .element("SSEAlgorithm", e.algorithm())
                        .element("KMSMasterKeyID", e.kmsMasterKeyId())
                        .end()
                        .element("BucketKeyEnabled", e.bucketKeyEnabled());
                return RestXmlProtocol.xml(request, 200, xml.end().end());
            }
        }
    }

    AwsResponse lifecycle(AwsRequest request, String name) {
        Bucket bucket = store.bucket(name);
        switch (request.method()) {
            case "PUT" -> {
                Element root = parse(Payload.read(request, true).requireIntegrity().data(), "LifecycleConfiguration");
                List<Element> rules = lifecycleRules(root);
                store.configure(bucket, s -> s.withLifecycleRules(rules));
                return RestXmlProtocol.empty(request, 200).header("x-amz-transition-default-minimum-object-size",
                        TRANSITION_MINIMUM);
            }
            case "DELETE" -> {
                store.configure(bucket, s -> s.withLifecycleRules(null));
                return RestXmlProtocol.empty(request, 204);
            }
            default -> {
                List<Element> rules = bucket.lifecycleRules;
                if (rules == null) {
                    throw new S3Exception(404, "NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist")
                            .with("BucketName", name);
                }
                XmlWriter xml = new XmlWriter().start("LifecycleConfiguration", XMLNS);
                rules.forEach(rule -> write(xml, rule));
                return RestXmlProtocol.xml(request, 200, xml.end())
                        .header("x-amz-transition-default-minimum-object-size", TRANSITION_MINIMUM);
            }
        }
    }

    AwsResponse deleteObjects(AwsRequest request, String name) {
        Bucket bucket = store.bucket(name);
        Element root = parse(Payload.read(request, true).requireIntegrity().data(), "Delete");
        List<Element> objects = root.children("Object");
        if (objects.isEmpty() || objects.size() > MAX_DELETE_OBJECTS) {
            throw S3Exception.malformedXml();
        }
        for (Element o : objects) {
            if (o.childText("Key") == null) {
                throw S3Exception.malformedXml();
            }
        }
        boolean quiet = flag(root, "Quiet");
        XmlWriter xml = new XmlWriter().start("DeleteResult", XMLNS);
        for (Element o : objects) {
            String key = o.childText("Key");
            String version = o.childText("VersionId");
            if (version != null && !version.equals("null")) {
                // This bucket keeps no versions, so no version id can name anything.
                xml.start("Error").element("Key", key).element("VersionId", version).element("Code", "NoSuchVersion")
                        .element("Message", "The specified version does not exist.").end();
                continue;
            }
            store.deleteObject(bucket.name, key);
            if (!quiet) {
                xml.start("Deleted").element("Key", key).element("VersionId", version).end();
            }
        }
        return RestXmlProtocol.xml(request, 200, xml.end());
    }

    /** Validates lifecycle rules as S3 does and returns them, each with an ID (generated when absent). */
    private static List<Element> lifecycleRules(Element root) {
        List<Element> rules = root.children("Rule");
        if (rules.isEmpty() || rules.size() > 1000 || rules.size() != root.children().size()) {
            throw S3Exception.malformedXml();
        }
        List<Element> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Element rule : rules) {
            if (rule.children().stream().anyMatch(c -> !LIFECYCLE_RULE_ELEMENTS.contains(c.name()))) {
                throw S3Exception.malformedXml();
            }
            String status = rule.childText("Status");
            if (status == null || !(status.trim().equals("Enabled") || status.trim().equals("Disabled"))) {
                throw S3Exception.malformedXml();
            }
            if ((rule.child("Filter") == null) == (rule.child("Prefix") == null)) {
                throw S3Exception.malformedXml();
            }
            if (rule.children().stream().noneMatch(c -> LIFECYCLE_ACTIONS.contains(c.name()))) {
                throw S3Exception.invalidRequest("At least one action needs to be specified in a rule");
            }
            Element expiration = rule.child("Expiration");
            if (expiration != null && expiration.childText("Days") != null && !positive(expiration.childText("Days"))) {
                throw S3Exception.invalidArgument("'Days' for Expiration action must be a positive integer", "Days",
                        expiration.childText("Days"));
            }
            for (Element action : rule.children()) {
                if ((action.name().equals("Expiration") || action.name().equals("Transition"))
                        && action.childText("Date") != null && !midnightUtc(action.childText("Date"))) {
                    throw S3Exception.invalidArgument("'Date' must be at midnight GMT", "Date", action.childText("Date"));
                }
            }
            String id = rule.childText("ID");
            if (id != null && id.length() > 255) {
                throw S3Exception.invalidArgument("ID length should not exceed allowed limit of 255", "ID", id);
            }
            if (id == null) {
                List<Element> children = new ArrayList<>(rule.children());
                children.add(0, new Element("ID", UUID.randomUUID().toString(), List.of()));
                rule = new Element("Rule", "", children);
                id = rule.childText("ID");
            }
            if (!ids.add(id)) {
                throw S3Exception.invalidArgument("Rule ID must be unique. Found same ID for more than one rule", "ID", id);
            }
            out.add(rule);
        }
        return List.copyOf(out);
    }

    /** Lifecycle dates name a day: an ISO 8601 time at midnight UTC. */
    private static boolean midnightUtc(String value) {
        try {
            OffsetDateTime date = OffsetDateTime.parse(value.trim());
            return date.toInstant().atOffset(ZoneOffset.UTC).toLocalTime().equals(LocalTime.MIDNIGHT);
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static boolean positive(String value) {
        try {
            return Integer.parseInt(value.trim()) > 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Writes an element tree back as it was given (lifecycle rules are stored as documents). */
    private static void write(XmlWriter xml, Element e) {
        if (e.children().isEmpty()) {
            xml.element(e.name(), e.text());
            return;
        }
        xml.start(e.name());
        e.children().forEach(c -> write(xml, c));
        xml.end();
    }

    /** A TagSet as S3 accepts it: unique keys of 1–128 characters, values up to 256, no "aws:" keys, at most 50. */
    private static Map<String, String> tagSet(Element set) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (Element tag : set.children("Tag")) {
            String key = tag.childText("Key");
            String value = tag.childText("Value");
            if (key == null || value == null) {
                throw S3Exception.malformedXml();
            }
            if (key.isEmpty() || key.length() > 128) {
                throw invalidTag("The TagKey you have provided is invalid");
            }
            if (value.length() > 256) {
                throw invalidTag("The TagValue you have provided is invalid");
            }
            if (key.startsWith("aws:")) {
                throw invalidTag("System tags cannot be added/updated by requester");
            }
            if (tags.put(key, value) != null) {
                throw invalidTag("Cannot provide multiple Tags with the same key");
            }
        }
        if (tags.size() > MAX_BUCKET_TAGS) {
            throw invalidTag("Bucket tag count cannot be greater than " + MAX_BUCKET_TAGS);
        }
        return Collections.unmodifiableMap(tags);
    }

    private static S3Exception invalidTag(String message) {
        return new S3Exception(400, "InvalidTag", message);
    }

    /** A boolean child; absent is false, anything but true/false is MalformedXML. */
    private static boolean flag(Element parent, String name) {
        String v = parent.childText(name);
        if (v == null) {
            return false;
        }
        return switch (v.trim()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw S3Exception.malformedXml();
        };
    }

    static Element parse(byte[] body, String rootName) {
        try {
            Element root = XmlReader.parse(body);
            if (!root.name().equals(rootName)) {
                throw S3Exception.malformedXml();
            }
            return root;
        } catch (XmlReader.MalformedXmlException e) {
            throw S3Exception.malformedXml();
        }
    }

    static boolean hasGrantHeader(AwsRequest request) {
        return request.headers().keySet().stream().anyMatch(h -> h.toLowerCase(Locale.ROOT).startsWith("x-amz-grant-"));
    }

    private static Integer intParam(AwsRequest request, String name, int min, int max) {
        String value = request.queryParam(name);
        if (value == null) {
            return null;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw S3Exception.invalidArgument("Provided " + name + " not an integer or within integer range", name, value);
    }

    /** An opaque continuation token: a kind letter and the name or key it continues after. */
    private static String token(char kind, String after) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((kind + after).getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeToken(AwsRequest request, String kinds) {
        String param = "continuation-token";
        String value = request.queryParam(param);
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8);
            if (!decoded.isEmpty() && kinds.indexOf(decoded.charAt(0)) >= 0) {
                return decoded;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw S3Exception.invalidArgument("The continuation token provided is incorrect", param, value);
    }
}
