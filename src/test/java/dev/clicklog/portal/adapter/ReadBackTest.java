package dev.clicklog.portal.adapter;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.clicklog.portal.adapter.DeliveryStreamAdapter.S3Destination;

/** What counts as drift: a field reported with another value, never a field not reported. */
class ReadBackTest {

    private static final S3Destination WANTED = new S3Destination("role", "bucket", "clicks/", "errors/", 5, 60,
            "UNCOMPRESSED", true);

    @Test
    void aFieldTheEndpointLeavesOutIsUnknownNotDrift() {
        assertTrue(ReadBack.agrees(WANTED, new S3Destination("role", "bucket", "clicks/", "errors/", 5, 60,
                "UNCOMPRESSED", null)));
        assertTrue(ReadBack.agrees(WANTED, new S3Destination(null, null, null, null, null, null, null, null)));
        assertTrue(ReadBack.agrees(WANTED, null));
    }

    @Test
    void aFieldReportedWithAnotherValueIsDrift() {
        assertFalse(ReadBack.agrees(WANTED, new S3Destination("role", "bucket", "clicks/", "errors/", 5, 300,
                "UNCOMPRESSED", null)));
        assertFalse(ReadBack.agrees(WANTED, new S3Destination("role", "bucket", "clicks/", "errors/", 5, 60,
                "UNCOMPRESSED", false)));
    }

    @Test
    void mapsAndListsCompareEntryByEntry() {
        Map<String, Map<String, String>> wanted = Map.of("200", Map.of("a", "1"), "400", Map.of("b", "2"));
        assertTrue(ReadBack.agrees(wanted, Map.of("200", Map.of("a", "1"), "400", Map.of("b", "2"))));
        assertFalse(ReadBack.agrees(wanted, Map.of("200", Map.of("a", "1"))), "an entry missing from a reported map");
        assertFalse(ReadBack.agrees(wanted, Map.of("200", Map.of("a", "1"), "400", Map.of("b", "3"))));
        assertFalse(ReadBack.agrees(List.of("api:v1"), List.of("api:v1", "other:v1")));
        assertTrue(ReadBack.agrees(List.of("api:v1"), List.of("api:v1")));
    }

    @Test
    void numbersCompareByValue() {
        assertTrue(ReadBack.agrees(1000.0, 1000.0));
        assertTrue(ReadBack.agrees(2000, 2000));
        assertFalse(ReadBack.agrees(1000.0, -1.0));
    }
}
