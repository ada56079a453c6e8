package dev.clicklog.localaws.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

import dev.clicklog.localaws.http.AwsRequest;
import dev.clicklog.localaws.http.AwsResponse;

/**
 * The REST-XML protocol as S3 speaks it: resources addressed by path, operations chosen by method
 * and sub-resource, XML bodies, {@code <Error>} documents, HTTP dates in headers.
 */
public final class RestXmlProtocol {

    public static final String XML = "application/xml";

    /** RFC 1123 dates as S3 writes them in Last-Modified ("Wed, 12 Oct 2009 17:50:00 GMT"). */
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter
            .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private RestXmlProtocol() {
    }

    /** An XML answer carrying S3's request-id headers. */
    public static AwsResponse xml(AwsRequest request, int status, XmlWriter body) {
        return withRequestId(AwsResponse.of(status, XML, body.toBytes()), request);
    }

    /** An answer without a body (204s, HEAD, PUTs that return only headers). */
    public static AwsResponse empty(AwsRequest request, int status) {
        return withRequestId(AwsResponse.empty(status), request);
    }

    public static AwsResponse withRequestId(AwsResponse response, AwsRequest request) {
        return response.header("x-amz-request-id", request.requestId()).header("x-amz-id-2", hostId(request));
    }

    /**
     * {@code <Error><Code/><Message/>…details…<RequestId/><HostId/></Error>}; a HEAD request gets the
     * status alone, as S3 answers HEAD errors without a body.
     */
    public static AwsResponse error(AwsRequest request, AwsServiceException e, Map<String, String> details) {
        if ("HEAD".equals(request.method())) {
            return empty(request, e.status());
        }
        XmlWriter xml = new XmlWriter().start("Error")
                .element("Code", e.code())
                .element("Message", e.getMessage());
        details.forEach(xml::element);
        xml.element("RequestId", request.requestId()).element("HostId", hostId(request)).end();
        return xml(request, e.status(), xml);
    }

    /**
     * Percent-decodes one path as RFC 3986 says: {@code +} stays a plus (unlike form encoding),
     * and the bytes are UTF-8. Malformed escapes or invalid UTF-8 throw IllegalArgumentException.
     */
    public static String decodePath(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        int plain = 0;
        for (int i = 0; i < raw.length(); i++) {
            if (raw.charAt(i) != '%') {
                continue;
            }
            bytes.writeBytes(raw.substring(plain, i).getBytes(StandardCharsets.UTF_8));
            int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
            int lo = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 2), 16) : -1;
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("invalid percent escape");
            }
            bytes.write(hi << 4 | lo);
            i += 2;
            plain = i + 1;
        }
        bytes.writeBytes(raw.substring(plain).getBytes(StandardCharsets.UTF_8));
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("invalid UTF-8 in path", e);
        }
    }

    public static String httpDate(Instant instant) {
        return HTTP_DATE.format(instant);
    }

    /** An HTTP date (RFC 1123, as clients send in If-Modified-Since); null when it does not parse. */
    public static Instant parseHttpDate(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(value.trim()));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** A stable-looking extended request id, as S3 returns beside the request id. */
    private static String hostId(AwsRequest request) {
        return Base64.getEncoder().encodeToString(request.requestId().getBytes(StandardCharsets.US_ASCII));
    }
}
