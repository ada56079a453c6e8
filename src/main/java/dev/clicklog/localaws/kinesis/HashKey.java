package dev.clicklog.localaws.kinesis;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A position in Kinesis' 128-bit hash-key space, held as two longs compared unsigned so routing a
 * record to its shard needs no BigInteger arithmetic.
 */
record HashKey(long high, long low) implements Comparable<HashKey> {

    /** 2^128: the size of the hash-key space that a stream's shards split between them. */
    static final BigInteger SPACE = BigInteger.ONE.shiftLeft(128);
    static final HashKey MAX = new HashKey(-1L, -1L);

    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    /** As Kinesis maps a partition key: the MD5 of its UTF-8 bytes, as an unsigned 128-bit integer. */
    static HashKey ofPartitionKey(byte[] utf8) {
        byte[] d = MD5.get().digest(utf8);
        return new HashKey(toLong(d, 0), toLong(d, 8));
    }

    static HashKey ofPartitionKey(String key) {
        return ofPartitionKey(key.getBytes(StandardCharsets.UTF_8));
    }

    /** The key for a value in [0, 2^128); callers check the range. */
    static HashKey of(BigInteger value) {
        return new HashKey(value.shiftRight(64).longValue(), value.longValue());
    }

    BigInteger toBigInteger() {
        return new BigInteger(1, new byte[] {
                (byte) (high >>> 56), (byte) (high >>> 48), (byte) (high >>> 40), (byte) (high >>> 32),
                (byte) (high >>> 24), (byte) (high >>> 16), (byte) (high >>> 8), (byte) high,
                (byte) (low >>> 56), (byte) (low >>> 48), (byte) (low >>> 40), (byte) (low >>> 32),
                (byte) (low >>> 24), (byte) (low >>> 16), (byte) (low >>> 8), (byte) low });
    }

    @Override
    public int compareTo(HashKey other) {
        int c = Long.compareUnsigned(high, other.high);
        return c != 0 ? c : Long.compareUnsigned(low, other.low);
    }

    private static long toLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }
}
