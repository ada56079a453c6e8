package dev.clicklog.localaws.http;

import jakarta.enterprise.context.ApplicationScoped;

import dev.clicklog.localaws.protocol.AwsServiceException;
import dev.clicklog.localaws.spi.CallerAccess;
import dev.clicklog.localaws.spi.RequestSignatures;
import dev.clicklog.localaws.spi.RoleAccess;

/**
 * Holds the callers of the endpoint to IAM before a service handles their request, when callers are
 * enforced: the request must be signed (SigV4, header or presigned query) by an access key IAM
 * knows, with that key's secret, and the caller's identity policies must allow every action the
 * request needs. Each refusal is answered in the service's own error shape. Invoke URLs
 * (execute-api) are public, as a deployed stage is on AWS; requests services make of each other
 * in-process never pass here.
 */
@ApplicationScoped
public class CallerGate {

    private final CallerAccess callers;
    private final RequestSignatures signatures;

    CallerGate(CallerAccess callers, RequestSignatures signatures) {
        this.callers = callers;
        this.signatures = signatures;
    }

    /**
     * The answer refusing the request; null when its caller may go on (or, for an S3 presigned URL
     * of an unknown key, when S3 itself answers).
     */
    public AwsResponse refusal(ServiceHandler handler, AwsRequest request) {
        if (!callers.enforced() || RequestRouter.EXECUTE_API.equals(handler.route().signingName())) {
            return null;
        }
        try {
            CallerAccess.Caller caller = authenticate(handler, request);
            if (caller == null) {
                return null;
            }
            for (ServiceHandler.Access access : handler.access(request)) {
                RoleAccess.Decision decision = callers.decide(caller, access.action(), access.resource(), access.keys());
                if (!decision.allowed()) {
                    throw handler.callerErrors().denied(RoleAccess.accessDeniedMessage(caller.arn(), access.action(),
                            access.resource(), decision));
                }
            }
            return null;
        } catch (AwsServiceException e) {
            return handler.error(request, e);
        }
    }

    private CallerAccess.Caller authenticate(ServiceHandler handler, AwsRequest request) {
        CallerErrors errors = handler.callerErrors();
        boolean s3 = errors == CallerErrors.S3;
        String presignedKey = request.queryParam("AWSAccessKeyId") != null ? request.queryParam("AWSAccessKeyId")
                : request.queryParam("X-Amz-Credential");
        if (s3 && presignedKey != null && request.header("Authorization") == null) {
            // A presigned URL: S3 checks its parameters, expiry and signature itself, through the same
            // verifier, and answers with its own error elements; here only what its caller may do.
            return callers.caller(presignedKey.split("/", 2)[0]);
        }
        RequestSignatures.Signed signed = SignedRequest.of(request, s3);
        if (signed == null) {
            throw errors.missing();
        }
        CallerAccess.Caller caller = known(signed.accessKeyId(), errors);
        if (signatures.verify(signed) != RequestSignatures.Verdict.VALID) {
            throw errors.badSignature();
        }
        return caller;
    }

    private CallerAccess.Caller known(String accessKeyId, CallerErrors errors) {
        CallerAccess.Caller caller = callers.caller(accessKeyId);
        if (caller == null) {
            throw errors.unknownKey();
        }
        return caller;
    }
}
