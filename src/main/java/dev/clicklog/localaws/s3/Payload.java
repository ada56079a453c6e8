package dev.clicklog.localaws.s3;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.clicklog.localaws.http.AwsRequest;
import dev.clicklog.localaws.http.Body;

/**
 * A request body as S3 accepts it: aws-chunked framing removed, and every integrity claim the
 * client made checked before anything is stored — x-amz-content-sha256, Content-MD5, and one
 * x-amz-checksum-* value sent as a header or as a trailer of the chunked body.
 *
 * <p>Bodies of any size: an object body arrives in a file (see {@link S3Handler#bodyLimit}) and is
 * read as a stream, in one pass that decodes the framing (into a file next to the received one) and
 * computes every digest the claims need, so the heap holds only a buffer.
 */
record Payload(Body content, byte[] md5, ChecksumAlgorithm.Value checksum, boolean integrityClaimed) {

    private static final Set<String> CHECKSUM_HEADERS_NOT_VALUES = Set.of("x-amz-checksum-algorithm",
            "x-amz-checksum-mode", "x-amz-checksum-type");
    private static final Set<String> UNSUPPORTED_CHECKSUMS = Set.of("xxhash64", "xxhash3", "xxhash128");
    private static final int BUFFER = 1024 * 1024;

    /** The quoted MD5 hex digest, S3's ETag of a single-part object. */
    String etag() {
        return "\"" + HexFormat.of().formatHex(md5) + "\"";
    }

    /** The bytes of a body held in memory (the XML bodies of bucket and multipart operations). */
    byte[] data() {
        return content.bytes();
    }

    long length() {
        return content.length();
    }

    /** The checksum of the body with an algorithm the client did not claim (S3's default CRC64NVME, an upload's). */
    String compute(ChecksumAlgorithm algorithm) {
        if (!content.inFile()) {
            return algorithm.compute(content.bytes());
        }
        ChecksumAlgorithm.Hasher hasher = algorithm.hasher();
        try (InputStream in = content.open()) {
            byte[] buffer = new byte[BUFFER];
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                hasher.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(hasher.digest());
    }

    /**
     * Reads and checks the body. {@code headerChecksumsDescribeBody} is false only where
     * x-amz-checksum-* headers describe something else (CompleteMultipartUpload: the whole object).
     */
    static Payload read(AwsRequest request, boolean headerChecksumsDescribeBody) {
        Map<String, String> claims = new LinkedHashMap<>();
        if (headerChecksumsDescribeBody) {
            request.headers().forEach((name, value) -> {
                String n = name.toLowerCase(Locale.ROOT);
                if (n.startsWith("x-amz-checksum-") && !CHECKSUM_HEADERS_NOT_VALUES.contains(n)) {
                    claims.put(n, value);
                }
            });
        }
        boolean chunked = chunked(request);
        String trailer = request.header("x-amz-trailer");
        // The checksums computed while the body streams by: those claimed in headers, and the one the trailer will carry.
        Map<ChecksumAlgorithm, ChecksumAlgorithm.Hasher> hashers = new EnumMap<>(ChecksumAlgorithm.class);
        claims.keySet().forEach(name -> want(hashers, name));
        if (chunked && trailer != null) {
            want(hashers, trailer.trim().toLowerCase(Locale.ROOT));
        }
        String contentSha256 = request.header("x-amz-content-sha256");
        MessageDigest sha256 = contentSha256 != null && contentSha256.matches("[0-9a-fA-F]{64}") ? digester("SHA-256") : null;
        MessageDigest md5 = digester("MD5");
        Sink sink = new Sink(md5, hashers.values());

        Body raw = request.content();
        Body data;
        Map<String, String> trailers = Map.of();
        Path decodedFile = null;
        int buffer = (int) Math.min(BUFFER, Math.max(8192, raw.length()));
        try (InputStream in = new BufferedInputStream(new Hashing(raw.open(), sha256), buffer)) {
            if (!chunked) {
                in.transferTo(sink);
                data = raw;
            } else if (raw.inFile()) {
                decodedFile = Files.createTempFile(raw.file().getParent(), "decoded-", "");
                try (OutputStream file = Files.newOutputStream(decodedFile)) {
                    trailers = AwsChunked.decode(in, new Tee(file, sink));
                }
                data = Body.file(decodedFile, sink.count);
            } else {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                trailers = AwsChunked.decode(in, new Tee(bytes, sink));
                data = Body.of(bytes.toByteArray());
            }
            Payload payload = check(request, chunked, trailer, trailers, claims, sha256, contentSha256, md5, hashers, data);
            decodedFile = null;
            return payload;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (decodedFile != null) {
                BlobFiles.delete(decodedFile);
            }
        }
    }

    private static Payload check(AwsRequest request, boolean chunked, String trailer, Map<String, String> trailers,
            Map<String, String> claims, MessageDigest sha256, String contentSha256, MessageDigest md5Digest,
            Map<ChecksumAlgorithm, ChecksumAlgorithm.Hasher> hashers, Body data) {
        if (sha256 != null) {
            String computed = HexFormat.of().formatHex(sha256.digest());
            if (!computed.equalsIgnoreCase(contentSha256)) {
                throw new S3Exception(400, "XAmzContentSHA256Mismatch",
                        "The provided 'x-amz-content-sha256' header does not match what was computed.")
                        .with("ClientComputedContentSHA256", contentSha256).with("S3ComputedContentSHA256", computed);
            }
        }
        if (chunked) {
            String declared = request.header("x-amz-decoded-content-length");
            if (declared != null && parseLength(declared) != data.length()) {
                throw new S3Exception(400, "IncompleteBody",
                        "You did not provide the number of bytes specified by the x-amz-decoded-content-length HTTP header");
            }
            trailers.forEach((name, value) -> {
                if (name.startsWith("x-amz-checksum-")) {
                    claims.put(name, value);
                }
            });
            if (trailer != null && !trailers.containsKey(trailer.trim().toLowerCase(Locale.ROOT))) {
                throw S3Exception.invalidRequest("The x-amz-trailer header named " + trailer.trim()
                        + " but the request body carried no such trailer.");
            }
        }
        byte[] md5 = md5Digest.digest();
        String contentMd5 = request.header("Content-MD5");
        if (contentMd5 != null) {
            checkMd5(contentMd5, md5);
        }
        Payload unchecked = new Payload(data, md5, null, contentMd5 != null || !claims.isEmpty());
        return new Payload(data, md5, unchecked.checksum(claims, hashers), unchecked.integrityClaimed());
    }

    private static void want(Map<ChecksumAlgorithm, ChecksumAlgorithm.Hasher> hashers, String headerName) {
        if (!headerName.startsWith("x-amz-checksum-")) {
            return;
        }
        ChecksumAlgorithm algorithm = ChecksumAlgorithm.named(headerName.substring("x-amz-checksum-".length()));
        if (algorithm != null) {
            hashers.computeIfAbsent(algorithm, ChecksumAlgorithm::hasher);
        }
    }

    /** Operations whose model requires an integrity header (Content-MD5 or a checksum) on the body. */
    Payload requireIntegrity() {
        if (!integrityClaimed) {
            throw S3Exception.invalidRequest("Missing required header for this request: Content-MD5 OR x-amz-checksum-*");
        }
        return this;
    }

    static boolean chunked(AwsRequest request) {
        String sha = request.header("x-amz-content-sha256");
        String encoding = request.header("Content-Encoding");
        return (sha != null && sha.startsWith("STREAMING-"))
                || (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("aws-chunked"));
    }

    private static void checkMd5(String contentMd5, byte[] md5) {
        byte[] claimed;
        try {
            claimed = Base64.getDecoder().decode(contentMd5.trim());
        } catch (IllegalArgumentException e) {
            claimed = null;
        }
        if (claimed == null || claimed.length != 16) {
            throw new S3Exception(400, "InvalidDigest", "The Content-MD5 you specified was invalid.")
                    .with("Content-MD5", contentMd5);
        }
        if (!MessageDigest.isEqual(claimed, md5)) {
            throw S3Exception.badDigest("The Content-MD5 you specified did not match what we received.")
                    .with("ExpectedDigest", contentMd5).with("CalculatedDigest", Base64.getEncoder().encodeToString(md5));
        }
    }

    /** The one checksum claimed, verified; null when none was sent. */
    private ChecksumAlgorithm.Value checksum(Map<String, String> claims, Map<ChecksumAlgorithm, ChecksumAlgorithm.Hasher> computed) {
        if (claims.isEmpty()) {
            return null;
        }
        if (claims.size() > 1) {
            throw S3Exception.invalidRequest("Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
        }
        Map.Entry<String, String> claim = claims.entrySet().iterator().next();
        String name = claim.getKey().substring("x-amz-checksum-".length());
        if (UNSUPPORTED_CHECKSUMS.contains(name)) {
            throw S3Exception.notImplemented(claim.getKey());
        }
        ChecksumAlgorithm algorithm = ChecksumAlgorithm.named(name);
        if (algorithm == null || !algorithm.wellFormed(claim.getValue().trim())) {
            throw S3Exception.invalidRequest("Value for " + claim.getKey() + " header is invalid.");
        }
        ChecksumAlgorithm.Hasher hasher = computed.get(algorithm);
        // A trailer other than the one announced was not computed on the way: read the body again.
        String value = hasher != null ? Base64.getEncoder().encodeToString(hasher.digest()) : compute(algorithm);
        if (!value.equals(claim.getValue().trim())) {
            throw S3Exception.badDigest("The " + algorithm.name() + " you specified did not match the calculated checksum.");
        }
        return new ChecksumAlgorithm.Value(algorithm, value, ChecksumAlgorithm.Type.FULL_OBJECT);
    }

    private static long parseLength(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw S3Exception.invalidArgument("x-amz-decoded-content-length is not a valid length",
                    "x-amz-decoded-content-length", value);
        }
    }

    static byte[] digest(String algorithm, byte[] data) {
        return digester(algorithm).digest(data);
    }

    private static MessageDigest digester(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The decoded body's bytes into MD5 and the wanted checksums, counted. */
    private static final class Sink extends OutputStream {
        private final MessageDigest md5;
        private final List<ChecksumAlgorithm.Hasher> hashers;
        long count;

        Sink(MessageDigest md5, Collection<ChecksumAlgorithm.Hasher> hashers) {
            this.md5 = md5;
            this.hashers = new ArrayList<>(hashers);
        }

        @Override
        public void write(int b) {
            write(new byte[] { (byte) b }, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            md5.update(b, off, len);
            for (ChecksumAlgorithm.Hasher h : hashers) {
                h.update(b, off, len);
            }
            count += len;
        }
    }

    /** Writes to two streams. */
    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }
    }

    /** The body as received, into x-amz-content-sha256's digest when one is claimed. */
    private static final class Hashing extends FilterInputStream {
        private final MessageDigest digest;

        Hashing(InputStream in, MessageDigest digest) {
            super(in);
            this.digest = digest;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && digest != null) {
                digest.update((byte) b);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0 && digest != null) {
                digest.update(b, off, n);
            }
            return n;
        }
    }
}
