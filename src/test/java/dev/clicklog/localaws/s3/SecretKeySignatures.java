package dev.clicklog.localaws.s3;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import dev.clicklog.localaws.spi.RequestSignatures;

/**
 * A verifier that knows callers' secret keys, as the one caller identities will bring: it signs
 * what the request signed with the caller's secret, SigV4 or SigV2, and compares. Enabled only by
 * the tests that ask for it (an alternative), so every other test runs with signatures accepted.
 */
@Alternative
@ApplicationScoped
public class SecretKeySignatures implements RequestSignatures {

    /** The callers: access key id → secret key. */
    static final Map<String, String> SECRETS = Map.of("test", "test");

    @Override
    public Verdict verify(Signed signed) {
        String secret = SECRETS.get(signed.accessKeyId());
        if (secret == null) {
            return Verdict.UNKNOWN_ACCESS_KEY;
        }
        String expected = signed.scope() != null ? sigV4(signed, secret) : sigV2(signed, secret);
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                String.valueOf(signed.signature()).getBytes(StandardCharsets.UTF_8)) ? Verdict.VALID : Verdict.SIGNATURE_MISMATCH;
    }

    /** The SigV4 signature (hex) of what was signed, with the key derived from the secret and the scope. */
    static String sigV4(Signed signed, String secret) {
        byte[] key = hmac("HmacSHA256", ("AWS4" + secret).getBytes(StandardCharsets.UTF_8), signed.scope().date());
        key = hmac("HmacSHA256", key, signed.scope().region());
        key = hmac("HmacSHA256", key, signed.scope().service());
        key = hmac("HmacSHA256", key, "aws4_request");
        return HexFormat.of().formatHex(hmac("HmacSHA256", key, signed.stringToSign()));
    }

    /** S3's SigV2 signature (base64 of an HMAC-SHA1) of what was signed. */
    static String sigV2(Signed signed, String secret) {
        return Base64.getEncoder().encodeToString(hmac("HmacSHA1", secret.getBytes(StandardCharsets.UTF_8),
                signed.stringToSign()));
    }

    private static byte[] hmac(String algorithm, byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key, algorithm));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
