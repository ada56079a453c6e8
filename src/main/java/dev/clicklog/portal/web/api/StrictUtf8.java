package dev.clicklog.portal.web.api;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Set;

import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.clicklog.portal.pipeline.InvalidPipelineException;
import dev.clicklog.portal.pipeline.Violation;

/**
 * Request bodies are read strictly. A body must say what it is (no Content-Type: 415), and text
 * must be UTF-8 as the standard has it: no overlong forms (the two-byte NUL, an ASCII character
 * spelled in three bytes), no surrogates, nothing past U+10FFFF, no cut-off sequence — such a body
 * is refused (400) before anything reads it as text, rather than decoded into replacement characters.
 */
@Provider
public class StrictUtf8 implements ReaderInterceptor {

    private static final Set<String> WITH_BODY = Set.of("POST", "PUT", "PATCH");

    /** A body that is not UTF-8. */
    public static class MalformedBody extends InvalidPipelineException {

        MalformedBody(long offset) {
            super(List.of(new Violation("(body)", "is not valid UTF-8 (byte " + offset + ")")));
        }
    }

    @ServerRequestFilter(preMatching = true)
    public void contentType(ContainerRequestContext request) {
        if (!WITH_BODY.contains(request.getMethod()) || request.getHeaderString("Content-Type") != null) {
            return;
        }
        String length = request.getHeaderString("Content-Length");
        boolean body = request.getHeaderString("Transfer-Encoding") != null
                || length != null && !length.strip().equals("0");
        if (body) {
            throw new NotSupportedException("a request body needs a Content-Type, e.g. application/json");
        }
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        MediaType type = context.getMediaType();
        if (type != null && (type.isCompatible(MediaType.APPLICATION_JSON_TYPE) || "text".equals(type.getType())
                || type.getSubtype().endsWith("+json"))) {
            context.setInputStream(new Checked(context.getInputStream()));
        }
        return context.proceed();
    }

    /** Passes bytes through, checking them as UTF-8 as they pass. */
    static final class Checked extends FilterInputStream {

        private long offset;
        /** Continuation bytes still expected, and the bounds the next one must be in (overlong, surrogate, range). */
        private int pending;
        private int low = 0x80;
        private int high = 0xBF;

        Checked(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b < 0) {
                end();
            } else {
                check(b);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int off, int len) throws IOException {
            int n = super.read(buffer, off, len);
            if (n < 0) {
                end();
            }
            for (int i = 0; i < n; i++) {
                check(buffer[off + i] & 0xFF);
            }
            return n;
        }

        private void end() {
            if (pending > 0) {
                throw new MalformedBody(offset);
            }
        }

        private void check(int b) {
            if (pending > 0) {
                if (b < low || b > high) {
                    throw new MalformedBody(offset);
                }
                pending--;
                low = 0x80;
                high = 0xBF;
            } else if (b >= 0x80) {
                if (b >= 0xC2 && b <= 0xDF) {
                    pending = 1;
                } else if (b == 0xE0) {
                    pending = 2;
                    low = 0xA0;
                } else if (b == 0xED) {
                    pending = 2;
                    high = 0x9F;
                } else if (b >= 0xE1 && b <= 0xEF) {
                    pending = 2;
                } else if (b == 0xF0) {
                    pending = 3;
                    low = 0x90;
                } else if (b == 0xF4) {
                    pending = 3;
                    high = 0x8F;
                } else if (b >= 0xF1 && b <= 0xF3) {
                    pending = 3;
                } else {
                    throw new MalformedBody(offset);
                }
            }
            offset++;
        }
    }
}
