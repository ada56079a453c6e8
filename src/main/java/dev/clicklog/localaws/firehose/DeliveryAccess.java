package dev.clicklog.localaws.firehose;

import java.util.Map;

import dev.clicklog.localaws.spi.RoleAccess;
import dev.clicklog.localaws.spi.RoleAccess.Decision;
import dev.clicklog.localaws.protocol.AwsServiceException;

/**
 * IAM for a delivery stream, as Firehose works on AWS: it assumes the roles the stream names (which
 * must trust firehose.amazonaws.com, for this account as external id) and reads the source stream
 * and writes objects as those roles' sessions, so it can do only what their policies allow. Roles
 * are read at every call: a policy fixed later lets the retried delivery through.
 */
final class DeliveryAccess {

    static final String PRINCIPAL = "firehose.amazonaws.com";

    private final RoleAccess iam;
    private final DeliveryStream stream;
    private final String account;

    DeliveryAccess(RoleAccess iam, DeliveryStream stream, String account) {
        this.iam = iam;
        this.stream = stream;
        this.account = account;
    }

    /** The condition keys Firehose sets when it assumes a role: its account as sts:ExternalId, and the stream. */
    static Map<String, String> assumeKeys(String account, String deliveryStreamArn) {
        return Map.of("sts:ExternalId", account, "aws:SourceAccount", account, "aws:SourceArn", deliveryStreamArn);
    }

    static boolean mayAssume(RoleAccess iam, String roleArn, String account, String deliveryStreamArn) {
        return iam.mayAssume(PRINCIPAL, roleArn, assumeKeys(account, deliveryStreamArn));
    }

    static String unableToAssume(String roleArn) {
        return "Firehose is unable to assume role " + roleArn + ". Please check the role provided.";
    }

    /** Before a Kinesis call on the source stream (e.g. "GetRecords"): Kinesis's AccessDeniedException if not allowed. */
    void checkRead(String kinesisAction) {
        String action = "kinesis:" + kinesisAction;
        String resource = stream.source().streamArn();
        Decision decision = decide(stream.source().roleArn(), action, resource);
        if (!decision.allowed()) {
            throw AwsServiceException.badRequest("AccessDeniedException", RoleAccess.accessDeniedMessage(
                    session(stream.source().roleArn()), action, resource, decision));
        }
    }

    /** Before an object is written: S3's AccessDenied (403) if the destination role may not put it. */
    void checkWrite(String bucket, String key) {
        String role = stream.destination().roleArn();
        String resource = "arn:aws:s3:::" + bucket + "/" + key;
        Decision decision = decide(role, "s3:PutObject", resource);
        if (!decision.allowed()) {
            throw new AwsServiceException(403, "AccessDenied", RoleAccess.accessDeniedMessage(session(role),
                    "s3:PutObject", "\"" + resource + "\"", decision));
        }
    }

    private Decision decide(String role, String action, String resource) {
        if (!mayAssume(iam, role, account, stream.arn())) {
            throw new AwsServiceException(403, "AccessDenied", unableToAssume(role));
        }
        return iam.decide(role, action, resource, Map.of("aws:RequestedRegion", stream.region()));
    }

    private String session(String role) {
        return RoleAccess.sessionArn(role, stream.name());
    }
}
