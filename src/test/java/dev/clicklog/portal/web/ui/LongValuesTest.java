package dev.clicklog.portal.web.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.clicklog.portal.observe.DecodedData;

/** Long values cut in the list, short records shown as they are. */
class LongValuesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aLongStringValueIsCutAtTwoKilobytesTheRestStays() throws Exception {
        String blob = "x".repeat(500_000);
        DecodedData data = DecodedData.json(JSON.readTree("{\"type\":\"big\",\"blob\":\"" + blob + "\",\"n\":[1,\""
                + blob + "\"]}"));
        assertTrue(LongValues.cut(data));
        String shown = LongValues.shown(data);
        assertTrue(shown.length() < 3 * LongValues.MAX_VALUE + 500, shown.length() + " characters");
        assertTrue(shown.contains("\"type\" : \"big\""), shown.substring(0, 100));
        assertTrue(shown.contains("x".repeat(LongValues.MAX_VALUE) + "… ("), "cut where it says so");
        assertFalse(shown.contains("x".repeat(LongValues.MAX_VALUE + 1)));
        assertEquals(blob.length(), data.json().get("blob").textValue().length(), "the record itself is whole");
    }

    @Test
    void shortRecordsAreShownAsTheyAre() throws Exception {
        DecodedData json = DecodedData.json(JSON.readTree("{\"type\":\"click\",\"page\":\"/a\"}"));
        assertFalse(LongValues.cut(json));
        assertEquals(json.display(), LongValues.shown(json));
        DecodedData text = DecodedData.text("plain words");
        assertFalse(LongValues.cut(text));
        assertEquals("plain words", LongValues.shown(text));
    }

    @Test
    void longTextAndManySmallValuesAreCutToo() throws Exception {
        DecodedData text = DecodedData.text("y".repeat(10_000));
        assertTrue(LongValues.cut(text));
        assertTrue(LongValues.shown(text).startsWith("y".repeat(LongValues.MAX_VALUE) + "… ("));
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i < 20_000; i++) {
            many.append(i == 0 ? "" : ",").append(i);
        }
        DecodedData numbers = DecodedData.json(JSON.readTree(many.append("]").toString()));
        assertTrue(LongValues.cut(numbers));
        assertTrue(LongValues.shown(numbers).length() < LongValues.MAX_SHOWN + 100);
        assertTrue(new String(LongValues.shown(numbers).getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)
                .endsWith("more)"));
    }

    @Test
    void aSummaryIsTheFirstFieldsOnOneLineCutToFit() throws Exception {
        DecodedData click = DecodedData.json(JSON.readTree("{\"type\":\"click\",\"n\":15,\"page\":{\"path\":\"/a\"},"
                + "\"note\":\"two\\nlines\"}"));
        assertEquals("type=click  n=15  page={\"path\":\"/a\"}  note=two lines", LongValues.summary(click));
        DecodedData big = DecodedData.json(JSON.readTree("{\"blob\":\"" + "x".repeat(500_000) + "\",\"after\":1}"));
        assertEquals("blob=" + "x".repeat(LongValues.SUMMARY_VALUE - 1) + "…  after=1", LongValues.summary(big));
        StringBuilder many = new StringBuilder("{");
        for (int i = 0; i < 100; i++) {
            many.append(i == 0 ? "" : ",").append("\"field").append(i).append("\":").append(i);
        }
        String line = LongValues.summary(DecodedData.json(JSON.readTree(many.append("}").toString())));
        assertEquals(LongValues.SUMMARY, line.length(), line);
        assertTrue(line.startsWith("field0=0  field1=1  ") && line.endsWith("…"), line);
        assertEquals("plain words on lines", LongValues.summary(DecodedData.text("  plain words\r\non lines ")));
        assertEquals("[1,2]", LongValues.summary(DecodedData.json(JSON.readTree("[1,2]"))));
    }
}
