package dev.clicklog.localaws.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.clicklog.localaws.protocol.AwsServiceException;

/** CloudWatch Logs' filter-pattern syntax, with the examples of its documentation and API Gateway's access logs. */
class FilterPatternTest {

    private static final String REFUSED = "{\"requestId\":\"a1\",\"status\":\"400\",\"error\":\"Invalid request body\","
            + "\"responseType\":\"BAD_REQUEST_BODY\",\"ip\":\"127.0.0.1\",\"userAgent\":\"curl/8.5\",\"responseLength\":\"36\"}";
    private static final String ACCEPTED = "{\"requestId\":\"a2\",\"status\":\"200\",\"error\":\"-\",\"responseType\":\"-\","
            + "\"ip\":\"127.0.0.1\",\"userAgent\":\"Mozilla/5.0\",\"responseLength\":\"96\"}";
    private static final String NUMBERS = "{\"latency\":75.5,\"count\":3,\"ok\":true,\"gone\":null,"
            + "\"user\":{\"name\":\"ann\",\"roles\":[\"admin\",\"ops\"]}}";

    private static boolean matches(String pattern, String message) {
        return FilterPattern.compile(pattern).matches(message);
    }

    @Test
    void theEmptyPatternMatchesEverything() {
        assertTrue(matches("", "anything"));
        assertTrue(matches("   ", ""));
    }

    @Test
    void termsAreFoundCaseSensitivelyAndAllMustBeThere() {
        assertTrue(matches("ERROR", "[ERROR] A fatal exception has occurred"));
        assertTrue(matches("ERROR", "Exiting with ERRORCODE: -1"));
        assertFalse(matches("ERROR", "error: lower case"));
        assertTrue(matches("ERROR Exception", "[ERROR] Caught IllegalArgumentException"));
        assertFalse(matches("ERROR Exception", "[ERROR] Caught it"));
        assertTrue(matches("\"Failed to process the request\"", "[WARN] Failed to process the request"));
        assertFalse(matches("\"Failed to process the request\"", "[WARN] Failed to process a request"));
    }

    @Test
    void termsCanBeExcludedOrAlternatives() {
        assertTrue(matches("ERROR -Exiting", "[ERROR] A fatal exception has occurred"));
        assertFalse(matches("ERROR -Exiting", "Exiting with ERRORCODE: -1"));
        assertTrue(matches("?ERROR ?WARN", "[WARN] slow"));
        assertTrue(matches("?ERROR ?WARN", "[ERROR] broken"));
        assertFalse(matches("?ERROR ?WARN", "[INFO] fine"));
        assertTrue(matches("%ERR[O]R [0-9]{3}%", "[ERROR 404] not found"));
        assertFalse(matches("%ERR[O]R [0-9]{3}%", "[ERROR] not found"));
    }

    @Test
    void jsonPatternsCompareStringsNumbersAndWildcards() {
        assertTrue(matches("{ $.status = 400 }", REFUSED), "a number against a string that is one");
        assertFalse(matches("{ $.status = 400 }", ACCEPTED));
        assertTrue(matches("{ $.status = \"400\" }", REFUSED));
        assertTrue(matches("{ $.status = 4* }", REFUSED));
        assertTrue(matches("{ $.status >= 400 }", REFUSED));
        assertFalse(matches("{ $.status >= 400 }", ACCEPTED));
        assertTrue(matches("{ $.status != 200 }", REFUSED));
        assertTrue(matches("{ $.userAgent = \"Mozilla*\" }", ACCEPTED));
        assertTrue(matches("{ $.error = *request* }", REFUSED));
        assertTrue(matches("{ $.latency > 75 }", NUMBERS));
        assertFalse(matches("{ $.latency < 75 }", NUMBERS));
        assertTrue(matches("{ $.count <= 3 }", NUMBERS));
        assertTrue(matches("{ $.user.name = ann }", NUMBERS));
        assertTrue(matches("{ $.user.roles[1] = \"ops\" }", NUMBERS));
        assertFalse(matches("{ $.user.roles[2] = \"ops\" }", NUMBERS));
        assertTrue(matches("{ $.error = %body$% }", REFUSED));
    }

    @Test
    void jsonPatternsCombineAndTestPresence() {
        assertTrue(matches("{ ($.status = 4*) && ($.responseType = \"BAD_REQUEST_BODY\") }", REFUSED));
        assertFalse(matches("{ ($.status = 4*) && ($.responseType = \"THROTTLED\") }", REFUSED));
        assertTrue(matches("{ $.status = 5* || $.status = 4* }", REFUSED));
        assertTrue(matches("{ $.status = 5* || ($.status = 4* && $.ip = \"127.0.0.1\") }", REFUSED));
        assertTrue(matches("{ $.gone IS NULL }", NUMBERS));
        assertFalse(matches("{ $.count IS NULL }", NUMBERS));
        assertTrue(matches("{ $.ok IS TRUE }", NUMBERS));
        assertFalse(matches("{ $.ok IS FALSE }", NUMBERS));
        assertTrue(matches("{ $.missing NOT EXISTS }", NUMBERS));
        assertFalse(matches("{ $.count NOT EXISTS }", NUMBERS));
        assertFalse(matches("{ $.status = 400 }", "not JSON at all"), "a message that is not JSON matches no JSON pattern");
    }

    @Test
    void spaceDelimitedPatternsMatchFieldsByPosition() {
        String line = "127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] \"GET /apache_pb.gif HTTP/1.0\" 404 1534";
        assertTrue(matches("[ip, user, username, timestamp, request, status_code, bytes]", line));
        assertTrue(matches("[ip, user, username, timestamp, request = \"*gif*\", status_code = 4*, bytes]", line));
        assertTrue(matches("[..., status_code = 404, bytes > 1000]", line));
        assertFalse(matches("[..., status_code = 404, bytes > 2000]", line));
        assertTrue(matches("[ip = 127.0.0.1, ...]", line));
        assertFalse(matches("[ip, user]", line), "too few fields");
    }

    @Test
    void aPatternThatDoesNotParseIsAnInvalidParameter() {
        for (String bad : List.of("{ $.status = }", "{ status = 400 }", "{ $.status = 400", "{ $.a > abc }",
                "\"unclosed", "[a, ..., b, ..., c]", "{ $.a IS MAYBE }", "%[%")) {
            AwsServiceException e = assertThrows(AwsServiceException.class, () -> FilterPattern.compile(bad), bad);
            assertEquals("InvalidParameterException", e.code(), bad);
            assertTrue(e.getMessage().startsWith("Invalid filter pattern"), e.getMessage());
        }
    }
}
