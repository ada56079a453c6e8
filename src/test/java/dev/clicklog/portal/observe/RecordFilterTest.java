package dev.clicklog.portal.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The Records filter: words anywhere, field=value on JSON clicks, and its rules. */
class RecordFilterTest {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    @Test
    void wordsAreFoundAnywhereInAnyCase() throws Exception {
        RecordFilter filter = RecordFilter.parse("filter", "  Checkout Page ");
        assertEquals("Checkout Page", filter.text());
        assertTrue(filter.test(json("{\"title\":\"the checkout page\"}", "k")));
        assertTrue(filter.test(text("CHECKOUT PAGE", "k")));
        assertTrue(filter.test(text("nothing", "checkout page-1")), "the partition key too");
        assertFalse(filter.test(text("checkout", "k")));
    }

    @Test
    void fieldEqualsValueComparesJsonFields() throws Exception {
        RecordFilter type = RecordFilter.parse("filter", "type = click");
        assertTrue(type.test(json("{\"type\":\"click\"}", "k")));
        assertFalse(type.test(json("{\"type\":\"clicks\"}", "k")));
        assertFalse(type.test(json("{\"kind\":\"click\"}", "k")));
        assertFalse(type.test(text("type=click", "k")), "only JSON clicks have fields");
        assertTrue(RecordFilter.parse("filter", "page.path=/home").test(json("{\"page\":{\"path\":\"/home\"}}", "k")));
        assertFalse(RecordFilter.parse("filter", "page.path=/home").test(json("{\"page\":\"/home\"}", "k")));
        assertTrue(RecordFilter.parse("filter", "price=1.5").test(json("{\"price\":1.50}", "k")), "numbers by value");
        assertFalse(RecordFilter.parse("filter", "price=x").test(json("{\"price\":1.50}", "k")));
        assertTrue(RecordFilter.parse("filter", "ok=true").test(json("{\"ok\":true}", "k")));
        assertTrue(RecordFilter.parse("filter", "q=a=b").test(json("{\"q\":\"a=b\"}", "k")), "the first = splits");
        assertTrue(RecordFilter.NONE.test(text("anything", "k")));
        assertTrue(RecordFilter.parse("filter", " ").isNone());
    }

    @Test
    void aFilterWithoutAFieldNameOrTooLongIsRefused() {
        for (String bad : new String[] { "=x", "two words=x", "a..b=x", "x".repeat(201) }) {
            ObserveException e = assertThrows(ObserveException.class, () -> RecordFilter.parse("filter", bad), bad);
            assertEquals(ObserveException.Kind.INVALID_PARAMETER, e.kind());
            assertTrue(e.getMessage().startsWith("filter "), e.getMessage());
        }
    }

    private static StreamRecord json(String json, String key) throws Exception {
        return new StreamRecord("shardId-000000000000", "1", key, Instant.EPOCH, json.length(),
                DecodedData.json(JSON.readTree(json)));
    }

    private static StreamRecord text(String text, String key) {
        return new StreamRecord("shardId-000000000000", "1", key, Instant.EPOCH, text.length(), DecodedData.text(text));
    }
}
