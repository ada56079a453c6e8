package dev.clicklog.portal.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.sun.management.OperatingSystemMXBean;

import dev.clicklog.endpoint.LocalEndpoint;
import dev.clicklog.portal.pipeline.PipelineApi;
import dev.clicklog.testing.SignedIn;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * What the portal and localaws accept before anything else: only their own host names (a page of
 * another site that had its name point here is refused: DNS rebinding); bodies of at most 64 KB,
 * refused by their length before they are read, and when they come without one, once that much
 * arrived; strict UTF-8; a Content-Type; short error answers however many problems a body has;
 * no invisible characters in names and descriptions, where ordinary line breaks are fine.
 */
@QuarkusTest
class RequestLimitsTest {

    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)content-length: *(\\d+)");

    @Inject
    LocalEndpoint endpoint;

    @Test
    void theBothServersAnswerOnlyTheirOwnHostNames() throws IOException {
        for (String host : List.of("evil.example", "evil.example:" + RestAssured.port, "127.0.0.1.nip.io")) {
            given().header("Host", host).get("/api/pipelines").then().statusCode(421)
                    .contentType(ContentType.JSON).body("message", containsString("clicklog.http.allowed-hosts"));
            given().header("Host", host).get("/").then().statusCode(421);
        }
        for (String host : List.of("localhost:" + RestAssured.port, "127.0.0.1:" + RestAssured.port, "LOCALHOST")) {
            given().header("Host", host).get("/api/pipelines").then().statusCode(200);
        }
        // the health checks answer probes that name the machine's address
        given().header("Host", "10.1.2.3:8080").get("/q/health/ready").then().statusCode(200);

        URI localaws = endpoint.uri();
        assertEquals(421, status(localaws, "GET / HTTP/1.1\r\nHost: evil.example\r\n\r\n"));
        assertEquals(421, status(localaws, "GET /restapis/x/prod/_user_request_/clicks HTTP/1.1\r\nHost: attacker.test:"
                + localaws.getPort() + "\r\n\r\n"));
        // its own names are served: a bucket listing, addressed path-style and virtual-hosted
        assertEquals(200, status(localaws, "GET / HTTP/1.1\r\nHost: localhost:" + localaws.getPort() + "\r\n\r\n"));
        int bucket = status(localaws, "GET / HTTP/1.1\r\nHost: some-bucket.localhost:" + localaws.getPort() + "\r\n\r\n");
        assertTrue(bucket != 421, "a virtual-hosted bucket answered " + bucket);
    }

    @Test
    void tenMegabytesAreRefusedByTheirLengthUnread() throws IOException {
        long cpuBefore = processCpuNanos();
        long started = System.nanoTime();
        // The length says 10 MB, and 1 KB of it is sent: an answer can only come if the body is not waited for.
        String answer = exchange(URI.create("http://127.0.0.1:" + RestAssured.port), "POST /api/pipelines HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + RestAssured.port + "\r\nAuthorization: " + SignedIn.basicHeader(SignedIn.ADMIN,
                        SignedIn.ADMIN_PASSWORD)
                + "\r\nContent-Type: application/json\r\nContent-Length: " + 10_000_000 + "\r\n\r\n{\"name\":\""
                + "x".repeat(1024), false);
        long wall = System.nanoTime() - started;
        long cpu = processCpuNanos() - cpuBefore;
        assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
        assertTrue(answer.contains("\"status\":413") && answer.contains("at most 65536"), answer);
        System.out.printf("10 MB by Content-Length: 413 in %.1f ms, %.1f ms of CPU (the whole JVM)%n", wall / 1e6, cpu / 1e6);
    }

    @Test
    void aBodyWithoutALengthIsCutOffAt64Kilobytes() throws IOException {
        // chunked: 10 MB offered 8 KB at a time; the server stops it once 64 KB arrived
        URI portal = URI.create("http://127.0.0.1:" + RestAssured.port);
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), portal.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/pipelines HTTP/1.1\r\nHost: 127.0.0.1:" + portal.getPort() + "\r\nAuthorization: "
                    + SignedIn.basicHeader(SignedIn.ADMIN, SignedIn.ADMIN_PASSWORD)
                    + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = ("2000\r\n" + "x".repeat(8192) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            long sent = 0;
            try {
                while (sent < 10_000_000) {
                    out.write(chunk);
                    sent += 8192;
                    if (socket.getInputStream().available() > 0) {
                        break;
                    }
                }
            } catch (SocketException closedByServer) {
                // the server answered and closed: expected
            }
            String answer = read(socket.getInputStream());
            assertTrue(answer.startsWith("HTTP/1.1 413"), "after " + sent + " bytes: " + answer);
            assertTrue(sent < 10_000_000, "all 10 MB were taken");
        }
    }

    @Test
    void thousandsOfUnknownFieldsGetAShortAnswer() {
        StringBuilder body = new StringBuilder("{\"name\":\"many-fields\",\"team\":\"t\"");
        int fields = 0;
        while (body.length() < 60_000) {
            body.append(",\"unknown").append(fields++).append("\":0");
        }
        body.append('}');
        String answer = given().contentType(ContentType.JSON).body(body.toString()).post("/api/pipelines")
                .then().statusCode(400).extract().asString();
        JsonPath json = new JsonPath(answer);
        assertEquals(20, json.getList("violations").size());
        assertEquals(fields, json.getInt("violationCount"));
        assertTrue(json.getString("message").startsWith(fields + " fields are invalid; the first 20 are listed"),
                json.getString("message"));
        assertTrue(answer.length() < 4_000, answer.length() + " bytes");
    }

    @Test
    void aBodyIsStrictUtf8AndSaysWhatItIs() throws IOException {
        URI portal = URI.create("http://127.0.0.1:" + RestAssured.port);
        String authorization = "Authorization: " + SignedIn.basicHeader(SignedIn.ADMIN, SignedIn.ADMIN_PASSWORD) + "\r\n";
        // "/" spelled in two bytes (C0 AF), an overlong form a lenient decoder takes for a slash
        byte[] overlong = concat("{\"name\":\"bad-utf8\",\"team\":\"t\",\"description\":\"a".getBytes(StandardCharsets.UTF_8),
                new byte[] { (byte) 0xC0, (byte) 0xAF }, "b\"}".getBytes(StandardCharsets.UTF_8));
        String answer = exchange(portal, "POST /api/pipelines HTTP/1.1\r\nHost: 127.0.0.1\r\n" + authorization
                + "Content-Type: application/json\r\nContent-Length: " + overlong.length + "\r\nConnection: close\r\n\r\n",
                overlong);
        assertTrue(answer.startsWith("HTTP/1.1 400") && answer.contains("is not valid UTF-8"), answer);
        // a surrogate encoded on its own (ED A0 80)
        byte[] surrogate = concat("{\"name\":\"x".getBytes(StandardCharsets.UTF_8),
                new byte[] { (byte) 0xED, (byte) 0xA0, (byte) 0x80 }, "\"}".getBytes(StandardCharsets.UTF_8));
        answer = exchange(portal, "POST /api/pipelines HTTP/1.1\r\nHost: 127.0.0.1\r\n" + authorization
                + "Content-Type: application/json\r\nContent-Length: " + surrogate.length + "\r\nConnection: close\r\n\r\n",
                surrogate);
        assertTrue(answer.startsWith("HTTP/1.1 400") && answer.contains("is not valid UTF-8"), answer);
        // no Content-Type: 415
        answer = exchange(portal, "POST /api/pipelines HTTP/1.1\r\nHost: 127.0.0.1\r\n" + authorization
                + "Content-Length: 2\r\nConnection: close\r\n\r\n{}", false);
        assertTrue(answer.startsWith("HTTP/1.1 415") && answer.contains("\"status\":415"), answer);
        given().noFilters().header("Authorization", SignedIn.basicHeader(SignedIn.ADMIN, SignedIn.ADMIN_PASSWORD))
                .body("{}".getBytes(StandardCharsets.UTF_8)).post("/api/teams").then().statusCode(415);
    }

    @Test
    void invisibleCharactersAreRefusedAndLineBreaksAreText() {
        String name = PipelineApi.uniqueName("text");
        for (String sneaky : List.of("pay\u202Elanigiro", "zero\u200Bwidth", "bom\uFEFF", "tab\tbed", "nul\u0000",
                "line\u2028separator", "isolate\u2066x\u2069")) {
            JsonPath refused = given().contentType(ContentType.JSON)
                    .body(Map.of("name", name, "team", "t", "description", sneaky)).post("/api/pipelines")
                    .then().statusCode(400).extract().jsonPath();
            assertEquals("description", refused.getString("violations[0].field"));
            assertTrue(refused.getString("violations[0].rule").startsWith("must not contain control or invisible"),
                    refused.prettify());
        }
        given().contentType(ContentType.JSON).body(Map.of("name", "t", "description", "x", "team", "bidi\u202Eteam"))
                .post("/api/pipelines").then().statusCode(400).body("violations.field", hasItem("team"));
        given().contentType(ContentType.JSON).body(Map.of("name", "bidi-team-" + name.substring(5), "team", "x\u202E"))
                .post("/api/teams").then().statusCode(400);
        String description = "First line\r\nsecond line\nthird — with ünïcödé";
        JsonPath created = PipelineApi.create("{\"name\":\"" + name + "\",\"team\":\"t\",\"description\":\""
                + description.replace("\r", "\\r").replace("\n", "\\n") + "\"}");
        assertEquals(description, created.getString("description"));
        PipelineApi.delete(name);
    }

    private static long processCpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static int status(URI server, String request) throws IOException {
        String answer = exchange(server, request, true);
        return Integer.parseInt(answer.substring(9, 12));
    }

    private static String exchange(URI server, String head, boolean close) throws IOException {
        return exchange(server, close ? head.replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n") : head, new byte[0]);
    }

    /** Sends raw bytes and reads the answer's head and body (as far as it comes within the timeout). */
    private static String exchange(URI server, String head, byte[] body) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getPort())) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.UTF_8));
            out.write(body);
            out.flush();
            return read(socket.getInputStream());
        }
    }

    /** The answer: its head, and its body as far as Content-Length says (or until the connection closes). */
    private static String read(InputStream in) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) > 0) {
            got.write(buffer, 0, n);
            String text = got.toString(StandardCharsets.UTF_8);
            int headEnd = text.indexOf("\r\n\r\n");
            if (headEnd >= 0) {
                Matcher length = CONTENT_LENGTH.matcher(text.substring(0, headEnd));
                if (length.find() && got.size() >= headEnd + 4 + Integer.parseInt(length.group(1))) {
                    break;
                }
            }
        }
        return got.toString(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
