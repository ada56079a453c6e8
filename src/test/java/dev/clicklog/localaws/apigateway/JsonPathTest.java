package dev.clicklog.localaws.apigateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The JSONPath subset of mapping templates, on its own. */
class JsonPathTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String read(String path, String json) throws Exception {
        return JsonPath.compile(path).read(JSON.readTree(json)).toString();
    }

    @Test
    void definitePathsSelectOneNode() throws Exception {
        String doc = "{\"a\":{\"b\":[10,20,30]},\"odd key\":\"x\"}";
        assertEquals(doc, read("$", doc));
        assertEquals("[10,20,30]", read("$.a.b", doc));
        assertEquals("20", read("$.a.b[1]", doc));
        assertEquals("30", read("$.a.b[-1]", doc));
        assertEquals("\"x\"", read("$['odd key']", doc));
        assertEquals("20", read("$[\"a\"]['b'][1]", doc));
        assertTrue(JsonPath.compile("$.a.c").read(JSON.readTree(doc)).isMissingNode());
        assertTrue(JsonPath.compile("$.a.b[7]").read(JSON.readTree(doc)).isMissingNode());
    }

    @Test
    void wildcardsCollectEveryMatch() throws Exception {
        String clicks = "[{\"page\":\"/a\",\"n\":1},{\"page\":\"/b\",\"n\":2},{\"other\":true}]";
        assertEquals("[\"/a\",\"/b\"]", read("$[*].page", clicks));
        assertEquals("[1,2]", read("$.*.n", clicks));
        JsonNode none = JsonPath.compile("$[*].missing").read(JSON.readTree(clicks));
        assertEquals(0, none.size());
    }

    @Test
    void pathsOutsideTheSubsetAreRejected() {
        for (String bad : new String[] { "a.b", "$..a", "$[?(@.n>1)]", "$.a[", "$.", "$[1:2]" }) {
            assertThrows(IllegalArgumentException.class, () -> JsonPath.compile(bad), bad);
        }
    }
}
