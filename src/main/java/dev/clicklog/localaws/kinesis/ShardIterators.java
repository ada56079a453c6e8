package dev.clicklog.localaws.kinesis;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Shard iterators as opaque base64 tokens, like AWS's: they carry the stream (name and creation
 * time, so a re-created stream does not accept old ones), the shard, the position of the next
 * record and when the token was issued, sealed with an HMAC under a key made at the first start
 * (and kept in Kinesis' journal, so iterators outlive a restart), so a tampered or invented token
 * is rejected rather than misread.
 */
final class ShardIterators {

    private static final byte VERSION = 1;
    private static final int MAC_LENGTH = 16;
    private static final int FIXED = 1 + 8 + 4 + 8 + 8 + 1;

    /** What a valid token says. */
    record Position(String streamName, long streamCreatedMillis, int shardIndex, long position, long issuedMillis) {
    }

    /** A key and each thread's MAC under it, replaced together. */
    private record Keyed(byte[] secret, ThreadLocal<Mac> macs) {
    }

    private volatile Keyed keyed;

    ShardIterators() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        secret(secret);
    }

    byte[] secret() {
        return keyed.secret().clone();
    }

    /** Seals and checks tokens with this key from now on (the one kept from an earlier run). */
    void secret(byte[] secret) {
        SecretKeySpec key = new SecretKeySpec(secret, "HmacSHA256");
        keyed = new Keyed(secret.clone(), ThreadLocal.withInitial(() -> newMac(key)));
    }

    String issue(KinesisStream stream, StreamShard shard, long position, long nowMillis) {
        byte[] name = stream.name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(FIXED + name.length + MAC_LENGTH);
        b.put(VERSION).putLong(stream.createdMillis).putInt(shard.index).putLong(position).putLong(nowMillis)
                .put((byte) name.length).put(name);
        b.put(mac(b.array(), b.position()), 0, MAC_LENGTH);
        return Base64.getEncoder().encodeToString(b.array());
    }

    /** The token's contents, or null when it is not a token this endpoint issued. */
    Position read(String token) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (bytes.length < FIXED + 1 + MAC_LENGTH || bytes[0] != VERSION) {
            return null;
        }
        int nameLength = bytes[FIXED - 1] & 0xFF;
        int signed = FIXED + nameLength;
        if (bytes.length != signed + MAC_LENGTH) {
            return null;
        }
        byte[] expected = Arrays.copyOf(mac(bytes, signed), MAC_LENGTH);
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(bytes, signed, bytes.length))) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(bytes, 1, FIXED - 1);
        long created = b.getLong();
        int shard = b.getInt();
        long position = b.getLong();
        long issued = b.getLong();
        String name = new String(bytes, FIXED, nameLength, StandardCharsets.UTF_8);
        return new Position(name, created, shard, position, issued);
    }

    private byte[] mac(byte[] bytes, int length) {
        Mac mac = keyed.macs().get();
        mac.update(bytes, 0, length);
        return mac.doFinal();
    }

    private static Mac newMac(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
