package dev.clicklog.portal.adapter;

import java.net.URI;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Where the portal's AWS clients point. {@code local} talks to the embedded localaws endpoint;
 * {@code aws} uses the SDK's default credential and region chains (and {@link #endpoint()} for
 * LocalStack, Floci or any other AWS-compatible endpoint).
 */
@ConfigMapping(prefix = "clicklog.aws")
public interface AwsConfig {

    enum Mode {
        LOCAL, AWS
    }

    @WithDefault("local")
    Mode mode();

    /** Overrides the endpoint of every client (ignored in local mode, where localaws decides). */
    Optional<URI> endpoint();

    /** Region for every client; in aws mode unset means the SDK's default region chain. */
    Optional<String> region();

    /**
     * Whether Kinesis speaks CBOR, as the SDK does by default. Off for endpoints that cannot read
     * the SDK's CBOR: Kinesis then speaks JSON 1.1.
     */
    @WithDefault("true")
    boolean cbor();

    /**
     * The wire protocol of the CloudWatch client: {@code auto} (the SDK's Smithy RPC v2 CBOR, or JSON
     * when {@link #cbor()} is off), {@code cbor}, {@code json} or {@code query}.
     */
    @WithDefault("auto")
    CloudWatchProtocol cloudwatchProtocol();

    default boolean local() {
        return mode() == Mode.LOCAL;
    }
}
