package dev.clicklog.portal.auth;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** What a request presented to prove who it is; each kind has its identity provider. */
final class Credentials {

    private Credentials() {
    }

    /** A user name and password (Authorization: Basic), from a client address. */
    static final class Password extends BaseAuthenticationRequest {
        final String username;
        final String password;
        final String address;

        Password(String username, String password, String address) {
            this.username = username;
            this.password = password;
            this.address = address;
        }
    }

    /** An access token's secret (Authorization: Bearer clk_…). */
    static final class Token extends BaseAuthenticationRequest {
        final String secret;

        Token(String secret) {
            this.secret = secret;
        }
    }

    /** A session cookie's secret. */
    static final class SessionCookie extends BaseAuthenticationRequest {
        final String secret;

        SessionCookie(String secret) {
            this.secret = secret;
        }
    }
}
