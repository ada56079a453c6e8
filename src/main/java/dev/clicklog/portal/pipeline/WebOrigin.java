package dev.clicklog.portal.pipeline;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rule for an allowed origin: a web origin serialized as browsers send it in their Origin
 * header — {@code http} or {@code https}, a lowercase host name or IPv4 address, and a port only
 * when it is not the scheme's default; nothing else (no path, query, fragment, user name). The
 * ingest API compares the header with the list character for character, so any other spelling
 * would never match.
 */
final class WebOrigin {

    /** The longest host name DNS allows. */
    static final int MAX_HOST = 253;
    /** "https://" + the longest host + ":65535". */
    static final int MAX_LENGTH = "https://".length() + MAX_HOST + ":65535".length();

    private static final Pattern LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern IPV4 = Pattern.compile("(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}"
            + "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
    private static final Pattern PORT = Pattern.compile("[1-9][0-9]{0,4}");
    private static final String EXAMPLE = "like https://shop.example or http://localhost:3000";

    private WebOrigin() {
    }

    /** The rule the origin breaks, if any. */
    static Optional<String> problem(String origin) {
        if (origin.length() > MAX_LENGTH) {
            return Optional.of("must be at most " + MAX_LENGTH + " characters long");
        }
        String scheme;
        if (origin.startsWith("https://")) {
            scheme = "https";
        } else if (origin.startsWith("http://")) {
            scheme = "http";
        } else {
            return Optional.of("must be * or an origin " + EXAMPLE + " (http or https, a host, an optional port)");
        }
        String authority = origin.substring(scheme.length() + 3);
        if (authority.indexOf('/') >= 0 || authority.indexOf('?') >= 0 || authority.indexOf('#') >= 0) {
            return Optional.of("must have no path, query or fragment: an origin is only scheme://host[:port], " + EXAMPLE);
        }
        if (authority.indexOf('@') >= 0) {
            return Optional.of("must have no user name or password: an origin is only scheme://host[:port]");
        }
        int colon = authority.lastIndexOf(':');
        String host = colon < 0 ? authority : authority.substring(0, colon);
        if (colon >= 0) {
            String port = authority.substring(colon + 1);
            if (!PORT.matcher(port).matches() || Integer.parseInt(port) > 65535) {
                return Optional.of("must have a port from 1 to 65535 (without leading zeros), or none");
            }
            if (port.equals(scheme.equals("https") ? "443" : "80")) {
                return Optional.of("must leave out the default port :" + port + ", as browsers send " + scheme + "://"
                        + host);
            }
        }
        if (!host.equals(host.toLowerCase(Locale.ROOT))) {
            return Optional.of("must be lowercase, as browsers send it: " + origin.toLowerCase(Locale.ROOT));
        }
        if (!validHost(host)) {
            return Optional.of("must have a host name (letters, digits and hyphens in dot-separated labels of at most 63, "
                    + MAX_HOST + " in all) or an IPv4 address");
        }
        return Optional.empty();
    }

    private static boolean validHost(String host) {
        if (host.isEmpty() || host.length() > MAX_HOST) {
            return false;
        }
        if (IPV4.matcher(host).matches()) {
            return true;
        }
        for (String label : host.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        // A name of digits and dots only that is no IPv4 address (999.1.1.1) would be read as one by browsers.
        return !host.matches("[0-9.]+");
    }
}
