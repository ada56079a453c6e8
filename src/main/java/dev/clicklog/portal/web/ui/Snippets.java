package dev.clicklog.portal.web.ui;

import dev.clicklog.portal.pipeline.PipelineView;

/**
 * Copy-paste examples of sending clicks to a pipeline: from a shell, from a page, and from a page
 * that is being left. They carry the x-api-key header when the pipeline requires one. A page being
 * left sends its click with {@code navigator.sendBeacon}, a POST of the click as text to the same
 * invoke URL; a beacon sends no headers, so for a pipeline that requires a key {@code beacon} is
 * null and {@code unload} is a {@code fetch} with {@code keepalive} instead (null otherwise).
 */
public record Snippets(String curl, String batch, String fetch, String beacon, String unload) {

    private static final String API_KEY_HEADER = "x-api-key";

    /** Stands for the key in the snippets shown to someone who may not see it. */
    public static final String KEY_PLACEHOLDER = "YOUR-API-KEY";

    /** The pipeline's snippets, with its API key; null unless it takes clicks (READY, or UPDATING in place). */
    public static Snippets of(PipelineView p) {
        return of(p, true);
    }

    /** The pipeline's snippets, with its API key or (not {@code withKey}) a placeholder for it. */
    public static Snippets of(PipelineView p, boolean withKey) {
        if (!p.live() || p.invokeUrl() == null) {
            return null;
        }
        String url = p.invokeUrl();
        String key = !p.apiKeyRequired() ? null : !withKey ? KEY_PLACEHOLDER : p.resources().apiKey();
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
        if (key != null) {
            String unload = "// Sent while the page is being left: keepalive lets the request outlive the page.\n"
                    + "document.addEventListener(\"visibilitychange\", () => {\n"
                    + "  if (document.visibilityState !== \"hidden\") return;\n"
                    + "  fetch(" + js(url) + ", {\n"
                    + "    method: \"PUT\",\n"
                    + "    keepalive: true,\n"
                    + "    headers: " + headers + ",\n"
                    + "    body: JSON.stringify({ type: \"page-hidden\", page: location.pathname }),\n"
                    + "  });\n"
                    + "});";
            return new Snippets(curl, batch, fetch, null, unload);
        }
        String beacon = "// A POST of the click as text: nothing to set up, and delivered even while the page is being left.\n"
                + "const click = { type: \"click\", page: location.pathname, at: new Date().toISOString() };\n"
                + "navigator.sendBeacon(" + jsSingle(url) + ", JSON.stringify(click));";
        return new Snippets(curl, batch, fetch, beacon, null);
    }

    /** A JavaScript string literal. */
    private static String js(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** A JavaScript string literal in single quotes. */
    private static String jsSingle(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
