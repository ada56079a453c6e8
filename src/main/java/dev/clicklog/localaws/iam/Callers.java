package dev.clicklog.localaws.iam;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import dev.clicklog.localaws.LocalAwsConfig;
import dev.clicklog.localaws.http.AwsRequest;
import dev.clicklog.localaws.iam.IamService.CompiledUser;
import dev.clicklog.localaws.spi.CallerAccess;
import dev.clicklog.localaws.spi.RequestSignatures;
import dev.clicklog.localaws.spi.RoleAccess.Decision;

/**
 * The callers of the endpoint as IAM knows them: the account's root (its configured key pair) and
 * the users IAM issued access keys to. Verifies signatures with the caller's secret key (SigV4, and
 * S3's SigV2 for presigned URLs) and evaluates the caller's inline policies as AWS evaluates
 * identity policies: an explicit Deny wins, then an Allow, else the request is implicitly denied.
 * The root is allowed everything. When callers are not enforced, every signature is valid and
 * every caller is the root, as before.
 */
@ApplicationScoped
public class Callers implements CallerAccess, RequestSignatures {

    /** The caller of a request as IAM's own actions need it: its ARN, its user name (null for the root), since when. */
    record Caller(String arn, String user, Instant since) {
    }

    private final IamService iam;
    private final boolean enforced;
    private final String rootKeyId;
    private final String rootSecret;
    private final CallerAccess.Caller root;
    private final Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    Callers(IamService iam, LocalAwsConfig config) {
        this.iam = iam;
        this.enforced = config.iam().enforceCallers();
        this.rootKeyId = config.iam().rootAccessKeyId();
        this.rootSecret = config.iam().rootSecretAccessKey();
        this.root = new CallerAccess.Caller("arn:aws:iam::" + iam.accountId() + ":root", iam.accountId(), iam.accountId(), true);
    }

    @Override
    public boolean enforced() {
        return enforced;
    }

    @Override
    public CallerAccess.Caller caller(String accessKeyId) {
        if (!enforced || rootKeyId.equals(accessKeyId)) {
            return root;
        }
        User.AccessKey key = iam.accessKey(accessKeyId);
        CompiledUser user = key == null || !key.active() ? null : iam.compiledUser(key.userName());
        return user == null ? null : new CallerAccess.Caller(user.user().arn(), user.user().id(), iam.accountId(), false);
    }

    /** The caller of a request to IAM itself, by the access key it signed with. */
    Caller caller(AwsRequest request) {
        String keyId = request.scope() == null ? null : request.scope().accessKeyId();
        CallerAccess.Caller caller = keyId == null ? root : caller(keyId);
        if (caller == null || caller.root()) {
            return new Caller(root.arn(), null, started);
        }
        User user = iam.compiledUser(caller.arn().substring(caller.arn().lastIndexOf('/') + 1)).user();
        return new Caller(user.arn(), user.name(), user.createDate());
    }

    @Override
    public Decision decide(CallerAccess.Caller caller, String action, String resourceArn, Map<String, List<String>> keys) {
        if (!enforced || caller.root()) {
            return Decision.ALLOWED;
        }
        String userName = caller.arn().substring(caller.arn().lastIndexOf('/') + 1);
        CompiledUser user = iam.compiledUser(userName);
        if (user == null || !user.user().arn().equals(caller.arn())) {
            return Decision.IMPLICITLY_DENIED;
        }
        Map<String, List<String>> all = new HashMap<>();
        all.put("aws:principalarn", List.of(caller.arn()));
        all.put("aws:principalaccount", List.of(caller.account()));
        all.put("aws:principaltype", List.of("User"));
        all.put("aws:userid", List.of(caller.userId()));
        all.put("aws:username", List.of(user.user().name()));
        keys.forEach((k, v) -> all.put(k.toLowerCase(Locale.ROOT), v));
        return Policy.decide(user.policies(), new Policy.Request(null, action, resourceArn, all));
    }

    @Override
    public Verdict verify(Signed signed) {
        if (!enforced) {
            return Verdict.VALID;
        }
        String secret = secret(signed.accessKeyId());
        if (secret == null) {
            return Verdict.UNKNOWN_ACCESS_KEY;
        }
        String expected = signed.scope() != null ? sigV4(signed, secret) : sigV2(signed, secret);
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                String.valueOf(signed.signature()).getBytes(StandardCharsets.UTF_8)) ? Verdict.VALID
                        : Verdict.SIGNATURE_MISMATCH;
    }

    /** The secret key of an active access key; null when there is none. */
    private String secret(String accessKeyId) {
        if (rootKeyId.equals(accessKeyId)) {
            return rootSecret;
        }
        User.AccessKey key = iam.accessKey(accessKeyId);
        return key == null || !key.active() ? null : key.secret();
    }

    /** The SigV4 signature (hex) of what was signed, with the key derived from the secret and the scope. */
    public static String sigV4(Signed signed, String secret) {
        byte[] key = hmac("HmacSHA256", ("AWS4" + secret).getBytes(StandardCharsets.UTF_8), signed.scope().date());
        key = hmac("HmacSHA256", key, signed.scope().region());
        key = hmac("HmacSHA256", key, signed.scope().service());
        key = hmac("HmacSHA256", key, "aws4_request");
        return HexFormat.of().formatHex(hmac("HmacSHA256", key, signed.stringToSign()));
    }

    /** S3's SigV2 signature (base64 of an HMAC-SHA1) of what was signed. */
    public static String sigV2(Signed signed, String secret) {
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
