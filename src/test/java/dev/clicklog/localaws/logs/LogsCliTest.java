package dev.clicklog.localaws.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.clicklog.endpoint.LocalEndpoint;
import dev.clicklog.testing.AwsCli;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The commands a person types against localaws' CloudWatch Logs: a log group with retention and
 * tags, events put and read back, and {@code aws logs filter-log-events} with a JSON filter pattern.
 */
@QuarkusTest
class LogsCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    LocalEndpoint endpoint;

    private JsonNode run(AwsCli cli, String... args) throws Exception {
        String out = cli.run(args).assertOk().stdout();
        return out.isBlank() ? JSON.createObjectNode() : JSON.readTree(out);
    }

    @Test
    void aLogGroupItsEventsAndAJsonFilterPatternFromTheCli() throws Exception {
        AwsCli cli = new AwsCli(endpoint.uri(), "us-east-1");
        String group = "/aws/apigateway/cli-" + UUID.randomUUID().toString().substring(0, 8);
        run(cli, "logs", "create-log-group", "--log-group-name", group, "--tags", "team=web");
        run(cli, "logs", "put-retention-policy", "--log-group-name", group, "--retention-in-days", "14");
        run(cli, "logs", "tag-log-group", "--log-group-name", group, "--tags", "clicklog:pipeline=shop");
        assertEquals("shop", run(cli, "logs", "list-tags-log-group", "--log-group-name", group).path("tags")
                .path("clicklog:pipeline").asText());
        JsonNode described = run(cli, "logs", "describe-log-groups", "--log-group-name-prefix", group)
                .path("logGroups").get(0);
        assertEquals(group, described.path("logGroupName").asText());
        assertEquals(14, described.path("retentionInDays").asInt());
        assertEquals("web", run(cli, "logs", "list-tags-for-resource", "--resource-arn",
                described.path("logGroupArn").asText()).path("tags").path("team").asText());

        run(cli, "logs", "create-log-stream", "--log-group-name", group, "--log-stream-name", "access");
        long now = System.currentTimeMillis();
        List<String> events = new ArrayList<>();
        int[] statuses = { 200, 400, 200, 415, 429 };
        for (int i = 0; i < statuses.length; i++) {
            String message = JSON.createObjectNode().put("requestId", "r" + i).put("status", String.valueOf(statuses[i]))
                    .toString();
            events.add(JSON.createObjectNode().put("timestamp", now - 5000 + i).put("message", message).toString());
        }
        run(cli, "logs", "put-log-events", "--log-group-name", group, "--log-stream-name", "access", "--log-events",
                "[" + String.join(",", events) + "]");

        JsonNode exact = run(cli, "logs", "filter-log-events", "--log-group-name", group, "--filter-pattern",
                "{ $.status = 400 }");
        assertEquals(1, exact.path("events").size(), exact.toString());
        assertTrue(exact.path("events").get(0).path("message").asText().contains("\"requestId\":\"r1\""));
        assertEquals("access", exact.path("events").get(0).path("logStreamName").asText());

        JsonNode refused = run(cli, "logs", "filter-log-events", "--log-group-name", group, "--filter-pattern",
                "{ $.status >= 400 && $.status != 429 }");
        List<String> ids = new ArrayList<>();
        refused.path("events").forEach(e -> ids.add(e.path("message").asText().replaceAll(".*\"requestId\":\"(r\\d)\".*", "$1")));
        assertEquals(List.of("r1", "r3"), ids);

        JsonNode tail = run(cli, "logs", "get-log-events", "--log-group-name", group, "--log-stream-name", "access",
                "--limit", "2");
        assertEquals(2, tail.path("events").size());
        assertTrue(tail.path("events").get(1).path("message").asText().contains("r4"), "the newest last");

        AwsCli.Result bad = cli.run("logs", "filter-log-events", "--log-group-name", group, "--filter-pattern",
                "{ $.status = ");
        assertNotEquals(0, bad.exitCode());
        assertTrue(bad.stderr().contains("InvalidParameterException"), bad.stderr());

        run(cli, "logs", "delete-log-group", "--log-group-name", group);
        AwsCli.Result missing = cli.run("logs", "describe-log-streams", "--log-group-name", group);
        assertNotEquals(0, missing.exitCode());
        assertTrue(missing.stderr().contains("ResourceNotFoundException"), missing.stderr());
    }
}
