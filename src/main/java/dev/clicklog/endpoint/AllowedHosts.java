package dev.clicklog.endpoint;

import java.util.List;
import java.util.Locale;

/**
 * The host names a server answers to, which stops DNS rebinding: both the portal and localaws
 * refuse a request whose Host (or HTTP/2 :authority) is not one of them. An entry is a name, an
 * IPv6 address in brackets, or {@code *.suffix} for any name under the suffix.
 */
public final class AllowedHosts {

    private final List<String> hosts;

    public AllowedHosts(List<String> configured) {
        this.hosts = configured.stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).toList();
    }

    /** Whether the host a request names is allowed (an IPv6 address with or without brackets). */
    public boolean allows(String named) {
        if (named == null || named.isBlank()) {
            return false;
        }
        String host = named.strip().toLowerCase(Locale.ROOT);
        if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        for (String allowed : hosts) {
            if (allowed.equals(host) || allowed.startsWith("*.") && host.endsWith(allowed.substring(1))
                    && host.length() > allowed.length() - 1) {
                return true;
            }
        }
        return false;
    }
}
