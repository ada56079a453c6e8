package dev.clicklog.portal.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.clicklog.portal.observe.TopValues.ValueCount;

/** The top values of a field over clicks, and which field is counted by default. */
class TopValuesTest {

    private final RecordDecoder decoder = new RecordDecoder(new ObjectMapper());

    @Test
    void theMostCommonStringFieldIsCountedByDefault() {
        List<StreamRecord> clicks = records(
                "{\"type\":\"view\",\"page\":\"/a\",\"n\":1}",
                "{\"type\":\"view\",\"page\":\"/b\"}",
                "{\"type\":\"click\",\"page\":\"/a\"}",
                "{\"type\":\"view\"}",
                "not json",
                "[1,2]");
        TopValues top = TopValues.of(clicks, Optional.empty());

        assertEquals("type", top.field(), "a string in 4 clicks, page in 3");
        assertEquals(List.of("type", "page"), top.fields(), "n is a number, not a choice");
        assertEquals(6, top.clicks());
        assertEquals(4, top.withField());
        assertEquals(List.of(new ValueCount("view", 3), new ValueCount("click", 1)), top.top());
    }

    @Test
    void aChosenFieldIsCountedWithTiesByValue() {
        TopValues top = TopValues.of(records("{\"page\":\"/b\"}", "{\"page\":\"/a\"}", "{\"page\":7}", "{\"page\":null}",
                "{\"page\":{\"nested\":true}}", "{}"), Optional.of("page"));

        assertEquals("page", top.field());
        assertEquals(4, top.withField(), "scalars count, objects do not");
        assertEquals(List.of(new ValueCount("/a", 1), new ValueCount("/b", 1), new ValueCount("7", 1),
                new ValueCount("null", 1)), top.top());
    }

    @Test
    void atMostTenValuesLongOnesCut() {
        String[] clicks = Stream.concat(
                Stream.iterate(0, i -> i + 1).limit(12).map(i -> "{\"k\":\"v" + i + "\"}"),
                Stream.of("{\"k\":\"" + "x".repeat(500) + "\"}")).toArray(String[]::new);
        TopValues top = TopValues.of(records(clicks), Optional.empty());
        assertEquals(TopValues.MAX_VALUES, top.top().size());
        assertEquals(13, top.withField());
        TopValues longOne = TopValues.of(records("{\"k\":\"" + "x".repeat(500) + "\"}"), Optional.empty());
        assertEquals("x".repeat(TopValues.MAX_VALUE_LENGTH) + "…", longOne.top().get(0).value());
    }

    @Test
    void noJsonObjectsNoField() {
        TopValues top = TopValues.of(records("plain", "42"), Optional.empty());
        assertNull(top.field());
        assertEquals(List.of(), top.top());
        assertEquals(2, top.clicks());
    }

    private List<StreamRecord> records(String... data) {
        return Stream.of(data).map(d -> {
            byte[] bytes = d.getBytes(StandardCharsets.UTF_8);
            return new StreamRecord("shardId-000000000000", "1", "k", Instant.now(), bytes.length, decoder.decode(bytes));
        }).toList();
    }
}
