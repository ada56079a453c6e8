package dev.clicklog.portal.web;

import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** What the portal's HTTP server accepts (clicklog.http.*); the body limit is quarkus.http.limits.max-body-size. */
@ConfigMapping(prefix = "clicklog.http")
public interface HttpConfig {

    /**
     * The host names (with any port) requests may name in their Host header: names, IP addresses,
     * [IPv6] addresses, or {@code *.domain} for every name under a domain. A page of another site
     * whose name was made to point here (DNS rebinding) names its own host and is refused.
     */
    @WithDefault("localhost,127.0.0.1,[::1]")
    List<String> allowedHosts();
}
