package dev.clicklog.localaws.s3;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/** The object checksums S3 computes and verifies, with their wire names and encodings. */
enum ChecksumAlgorithm {
    CRC32(4), CRC32C(4), CRC64NVME(8), SHA1(20), SHA256(32), SHA512(64), MD5(16);

    /** S3 checksums of multipart objects: of the whole object, or of the parts' checksums. */
    enum Type {
        FULL_OBJECT, COMPOSITE
    }

    /** One checksum value (base64, "-N" appended for a composite of N parts) and its kind. */
    record Value(ChecksumAlgorithm algorithm, String base64, Type type) {
        String header() {
            return algorithm.header();
        }
    }

    /** Feeds bytes incrementally, for bodies assembled from several files. */
    interface Hasher {
        void update(byte[] bytes, int offset, int length);

        byte[] digest();
    }

    private final int length;

    ChecksumAlgorithm(int length) {
        this.length = length;
    }

    /** "x-amz-checksum-crc32" */
    String header() {
        return "x-amz-checksum-" + name().toLowerCase(Locale.ROOT);
    }

    /** "ChecksumCRC32", the XML element name. */
    String element() {
        return "Checksum" + name();
    }

    /** The algorithm named in x-amz-checksum-algorithm (any case); null for an unknown name. */
    static ChecksumAlgorithm named(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Whether a base64 value has this algorithm's digest length. */
    boolean wellFormed(String base64) {
        try {
            return Base64.getDecoder().decode(base64).length == length;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    String compute(byte[] data) {
        Hasher h = hasher();
        h.update(data, 0, data.length);
        return Base64.getEncoder().encodeToString(h.digest());
    }

    Hasher hasher() {
        return switch (this) {
            case CRC32 -> crc(new CRC32(), 4);
            case CRC32C -> crc(new CRC32C(), 4);
            case CRC64NVME -> crc(new Crc64Nvme(), 8);
            case SHA1 -> digest("SHA-1");
            case SHA256 -> digest("SHA-256");
            case SHA512 -> digest("SHA-512");
            case MD5 -> digest("MD5");
        };
    }

    private static Hasher crc(Checksum crc, int bytes) {
        return new Hasher() {
            @Override
            public void update(byte[] b, int off, int len) {
                crc.update(b, off, len);
            }

            @Override
            public byte[] digest() {
                byte[] full = ByteBuffer.allocate(8).putLong(crc.getValue()).array();
                return Arrays.copyOfRange(full, 8 - bytes, 8);
            }
        };
    }

    private static Hasher digest(String algorithm) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return new Hasher() {
            @Override
            public void update(byte[] b, int off, int len) {
                md.update(b, off, len);
            }

            @Override
            public byte[] digest() {
                return md.digest();
            }
        };
    }

    /** CRC-64/NVME (reflected polynomial 0x9A6C9329AC4BC9B5), the checksum S3 adds by default. */
    static final class Crc64Nvme implements Checksum {
        private static final long[] TABLE = new long[256];

        static {
            for (int i = 0; i < 256; i++) {
                long crc = i;
                for (int bit = 0; bit < 8; bit++) {
                    crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x9A6C9329AC4BC9B5L : crc >>> 1;
                }
                TABLE[i] = crc;
            }
        }

        private long crc = -1L;

        @Override
        public void update(int b) {
            crc = TABLE[(int) ((crc ^ b) & 0xff)] ^ (crc >>> 8);
        }

        @Override
        public void update(byte[] b, int off, int len) {
            long c = crc;
            for (int i = off; i < off + len; i++) {
                c = TABLE[(int) ((c ^ b[i]) & 0xff)] ^ (c >>> 8);
            }
            crc = c;
        }

        @Override
        public long getValue() {
            return ~crc;
        }

        @Override
        public void reset() {
            crc = -1L;
        }
    }
}
