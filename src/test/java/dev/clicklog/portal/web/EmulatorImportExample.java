package dev.clicklog.portal.web;

import dev.clicklog.localaws.LocalAwsConfig;

/** A test-only example of what the package rules forbid: a page reaching into the embedded endpoint. */
public class EmulatorImportExample {

    Object peek(LocalAwsConfig config) {
        return config.port();
    }
}
