package dev.clicklog.localaws.apigateway.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** JSONPath of mapping templates (Jayway's, as API Gateway's), on its own. */
class JsonPathTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLICKS = "{\"site\":{\"name\":\"shop\",\"pages\":[{\"page\":\"/a\",\"n\":1,\"tags\":[\"x\"]},"
            + "{\"page\":\"/b\",\"n\":2},{\"page\":\"/c\",\"n\":3,\"meta\":{\"page\":\"/nested\"}},{\"other\":true}]}}";

    private static String read(String path, String json) throws Exception {
        return JsonPath.compile(path).read(JSON.readTree(json)).toString();
    }

    @Test
    void definitePathsSelectOneNode() throws Exception {
        String doc = "{\"a\":{\"b\":[10,20,30]},\"odd key\":\"x\",\"nothing\":null}";
        assertEquals(doc, read("$", doc));
        assertEquals("[10,20,30]", read("$.a.b", doc));
        assertEquals("20", read("$.a.b[1]", doc));
        assertEquals("30", read("$.a.b[-1]", doc));
        assertEquals("\"x\"", read("$['odd key']", doc));
        assertEquals("20", read("$[\"a\"]['b'][1]", doc));
        assertEquals("null", read("$.nothing", doc));
        assertTrue(JsonPath.compile("$.a.c").read(JSON.readTree(doc)).isMissingNode());
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
    void deepScanFindsMembersAtAnyDepth() throws Exception {
        assertEquals("[\"/a\",\"/b\",\"/c\",\"/nested\"]", read("$..page", CLICKS));
        assertEquals("[\"shop\"]", read("$..name", CLICKS));
        assertEquals("[\"x\"]", read("$..tags[0]", CLICKS));
    }

    @Test
    void filtersSelectByValue() throws Exception {
        assertEquals("[\"/b\",\"/c\"]", read("$.site.pages[?(@.n > 1)].page", CLICKS));
        assertEquals("[\"/a\"]", read("$.site.pages[?(@.page == '/a')].page", CLICKS));
        assertEquals("[{\"other\":true}]", read("$.site.pages[?(@.other)]", CLICKS));
        assertEquals("[3]", read("$.site.pages[?(@.meta.page =~ /.*nest.*/)].n", CLICKS));
    }

    @Test
    void slicesAndUnions() throws Exception {
        String list = "[0,1,2,3,4,5]";
        assertEquals("[1,2]", read("$[1:3]", list));
        assertEquals("[4,5]", read("$[-2:]", list));
        assertEquals("[0,1]", read("$[:2]", list));
        assertEquals("[0,5]", read("$[0,5]", list));
        assertEquals("[\"/a\",\"/b\"]", read("$.site.pages[0:2].page", CLICKS));
    }

    @Test
    void functions() throws Exception {
        assertEquals("4", read("$.site.pages.length()", CLICKS));
        assertEquals("6.0", read("$.totals.sum()", "{\"totals\":[1,2,3]}"));
        assertEquals("3.0", read("$.totals.max()", "{\"totals\":[1,2,3]}"));
    }

    @Test
    void malformedPathsAreRejected() {
        for (String bad : new String[] { "", "$.", "$[?(@.n >", "$['a'" }) {
            assertThrows(IllegalArgumentException.class, () -> JsonPath.compile(bad).read(JSON.readTree("{}")), bad);
        }
    }
}
