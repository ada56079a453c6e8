package dev.clicklog.localaws.apigateway;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/** Identifiers shaped like API Gateway's: lowercase alphanumerics, and API key values of 40 characters. */
public final class Ids {

    private static final String LOWER = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final String MIXED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom SECURE = new SecureRandom();

    private Ids() {
    }

    /** REST APIs, resources and API keys have 10-character ids; deployments, models, validators and usage plans 6. */
    static String id(int length) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(LOWER.charAt(random.nextInt(LOWER.length())));
        }
        return sb.toString();
    }

    /** A generated API key value: a secret, so from a secure source. */
    static String apiKeyValue() {
        StringBuilder sb = new StringBuilder(40);
        for (int i = 0; i < 40; i++) {
            sb.append(MIXED.charAt(SECURE.nextInt(MIXED.length())));
        }
        return sb.toString();
    }

    /** The extended request id of {@code x-amz-apigw-id}: 11 random bytes in base64, like "XTJxXFJMoAMEbSw=". */
    public static String extendedRequestId() {
        byte[] bytes = new byte[11];
        ThreadLocalRandom.current().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
