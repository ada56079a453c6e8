package dev.clicklog.portal.pipeline;

import dev.clicklog.portal.auth.CurrentCaller;

/** A test-only example of what the package rules forbid: the domain asking who calls instead of being told. */
public class CallerImportExample {

    String who(CurrentCaller caller) {
        return caller.name();
    }
}
