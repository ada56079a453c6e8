package dev.clicklog.portal.web.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.clicklog.portal.pipeline.Compression;
import dev.clicklog.portal.pipeline.Pipeline;
import dev.clicklog.portal.pipeline.PipelineResources;
import dev.clicklog.portal.pipeline.ResourceArns;
import dev.clicklog.portal.pipeline.PipelineStatus;
import dev.clicklog.portal.pipeline.PipelineView;

class SnippetsTest {

    private static final String URL = "https://abc123.execute-api.eu-west-1.amazonaws.com/v1/clicks";

    @Test
    void aPipelineWithAKeyHasItInEverySnippet() {
        Snippets s = Snippets.of(view(PipelineStatus.READY, true, "k3y"));

        assertEquals("""
                curl -X PUT 'https://abc123.execute-api.eu-west-1.amazonaws.com/v1/clicks' \\
                  -H 'Content-Type: application/json' \\
                  -H 'x-api-key: k3y' \\
                  -d '{"type":"click","page":"/pricing","element":"buy-button"}'""", s.curl());
        assertTrue(s.batch().startsWith("curl -X PUT '" + URL + "/batch'"), s.batch());
        assertTrue(s.batch().contains("-H 'x-api-key: k3y'"));
        assertTrue(s.fetch().startsWith("fetch(\"" + URL + "\", {\n  method: \"PUT\","), s.fetch());
        assertTrue(s.fetch().contains("headers: { \"Content-Type\": \"application/json\", \"x-api-key\": \"k3y\" }"));
        // A beacon cannot send the key: the page being left uses fetch with keepalive.
        assertNull(s.beacon());
        assertTrue(s.unload().contains("keepalive: true"));
        assertTrue(s.unload().contains("\"x-api-key\": \"k3y\""));
    }

    @Test
    void withoutAKeyNoSnippetSendsOne() {
        Snippets s = Snippets.of(view(PipelineStatus.READY, false, null));
        for (String snippet : List.of(s.curl(), s.batch(), s.fetch(), s.beacon())) {
            assertFalse(snippet.contains("x-api-key"), snippet);
        }
    }

    @Test
    void aPipelineWithoutAKeyTakesBeacons() {
        Snippets s = Snippets.of(view(PipelineStatus.READY, false, null));

        assertEquals("""
                // A POST of the click as text: nothing to set up, and delivered even while the page is being left.
                const click = { type: "click", page: location.pathname, at: new Date().toISOString() };
                navigator.sendBeacon('https://abc123.execute-api.eu-west-1.amazonaws.com/v1/clicks', JSON.stringify(click));""",
                s.beacon());
        assertNull(s.unload());
    }

    @Test
    void theInvokeUrlIsQuotedAsJavaScript() {
        PipelineView odd = view(PipelineStatus.READY, false, "http://h/it's\\here", PipelineResources.NONE);
        String beacon = Snippets.of(odd).beacon();
        assertTrue(beacon.contains("navigator.sendBeacon('http://h/it\\'s\\\\here', "), beacon);
    }

    @Test
    void onlyAReadyPipelineHasSnippets() {
        assertNull(Snippets.of(view(PipelineStatus.DELETING, false, null)));
        assertNull(Snippets.of(view(PipelineStatus.PROVISIONING, false, null)));
    }

    private static PipelineView view(PipelineStatus status, boolean apiKeyRequired, String key) {
        return view(status, apiKeyRequired, URL, PipelineResources.NONE.withApiKey(key == null ? null : "id", key, null));
    }

    private static PipelineView view(PipelineStatus status, boolean apiKeyRequired, String invokeUrl,
            PipelineResources resources) {
        return new PipelineView("00000000-0000-4000-8000-000000000001", "clicks", "team", null, 1, false, 24, 5, 60,
                Compression.NONE, "clicks/", List.of("*"), apiKeyRequired, 1000, 2000, false, null, status, Pipeline.Target.PRESENT, 1, 1, null, false,
                invokeUrl, resources, ResourceArns.NONE, List.of(), List.of(), 0, Instant.EPOCH, Instant.EPOCH, null, null,
                false, List.of());
    }
}
