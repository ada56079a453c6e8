package dev.clicklog.localaws;

import java.nio.file.Path;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where the embedded AWS-compatible endpoint listens and keeps its files. */
@ConfigMapping(prefix = "clicklog.localaws")
public interface LocalAwsConfig {

    /** Loopback by default: the endpoint accepts any credentials, so it must not be reachable from elsewhere. */
    @WithDefault("127.0.0.1")
    String host();

    /** 0 picks a free port (tests). */
    @WithDefault("4566")
    int port();

    /** Object bodies and other on-disk state live below this directory. */
    @WithDefault("data/localaws")
    Path dataDir();

    /** Event loops serving requests; 0 means one per core. */
    @WithDefault("0")
    int eventLoops();

    /** The account every resource belongs to, as AWS's documentation examples and other emulators use. */
    @WithDefault("000000000000")
    String accountId();
}
