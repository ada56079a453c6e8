package dev.clicklog.web.ui;

import dev.clicklog.pipeline.PipelineStatus;
import dev.clicklog.pipeline.PipelineView;

/**
 * Copy-paste examples of sending clicks to a pipeline: from a shell, from a page, and from a page
 * that is being left. They carry the x-api-key header when the pipeline requires one.
 */
public record Snippets(String curl, String batch, String fetch, String unload) {

    private static final String API_KEY_HEADER = "x-api-key";

    /** The pipeline's snippets; null unless it is READY to take clicks. */
    public static Snippets of(PipelineView p) {
        if (p.status() != PipelineStatus.READY || p.invokeUrl() == null) {
            return null;
        }
        String url = p.invokeUrl();
        String key = p.apiKeyRequired() && p.resources().apiKey() != null ? p.resources().apiKey() : null;
        String curlKey = key == null ? "" : "  -H '" + API_KEY_HEADER + ": " + key + "' \\\n";
        String curl = "curl -X PUT '" + url + "' \\\n"
                + "  -H 'Content-Type: application/json' \\\n"
                + curlKey
                + "  -d '{\"type\":\"click\",\"page\":\"/pricing\",\"element\":\"buy-button\"}'";
        String batch = "curl -X PUT '" + url + "/batch' \\\n"
                + "  -H 'Content-Type: application/json' \\\n"
                + curlKey
                + "  -d '[{\"type\":\"click\",\"page\":\"/\"},{\"type\":\"click\",\"page\":\"/pricing\"}]'";
        String headers = "{ \"Content-Type\": \"application/json\""
                + (key == null ? "" : ", \"" + API_KEY_HEADER + "\": " + js(key)) + " }";
        String fetch = "fetch(" + js(url) + ", {\n"
                + "  method: \"PUT\",\n"
                + "  headers: " + headers + ",\n"
                + "  body: JSON.stringify({ type: \"click\", page: location.pathname, at: new Date().toISOString() }),\n"
                + "});";
        String unload = "// A click sent while the page is being left: keepalive lets the request outlive the page.\n"
                + "document.addEventListener(\"visibilitychange\", () => {\n"
                + "  if (document.visibilityState !== \"hidden\") return;\n"
                + "  fetch(" + js(url) + ", {\n"
                + "    method: \"PUT\",\n"
                + "    keepalive: true,\n"
                + "    headers: " + headers + ",\n"
                + "    body: JSON.stringify({ type: \"page-hidden\", page: location.pathname }),\n"
                + "  });\n"
                + "});";
        return new Snippets(curl, batch, fetch, unload);
    }

    /** A JavaScript string literal. */
    private static String js(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
