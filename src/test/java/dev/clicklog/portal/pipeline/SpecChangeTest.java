package dev.clicklog.portal.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The rules of a change, the history's diff of it and If-Match, without the app. */
class SpecChangeTest {

    private static final PipelineSpec CURRENT = PipelineSpec.of(new PipelineRequest("clicks", "web", null, 1, null, null,
            null, null, null, null, null, null));

    @Test
    void theDiffNamesEachChangedFieldWithItsOldAndNewValue() {
        PipelineSpec next = PipelineSpec.of(new PipelineRequest("clicks", "web", "checkout", 2, null, null, null, null,
                "GZIP", null, List.of("https://a.example"), null));
        assertEquals(List.of("description: (none) → \"checkout\"", "shards: 1 → 2", "compression: NONE → GZIP",
                "allowedOrigins: [*] → [https://a.example]"), SpecDiff.between(CURRENT, next));
        assertTrue(SpecDiff.between(CURRENT, CURRENT).isEmpty());
    }

    @Test
    void nameTeamAndPrefixCannotChangeAndTheOtherRulesStillApply() {
        PipelineRequest changed = new PipelineRequest("other", "web2", null, 0, null, null, null, null, null, "raw/",
                null, null);
        PipelineSpec.Validation v = PipelineSpec.checkChange(CURRENT, changed, List.of());
        assertFalse(v.valid());
        assertEquals(List.of("name", "team", "shards", "s3Prefix"), v.violations().stream().map(Violation::field).toList());
        assertTrue(v.violations().get(0).rule().startsWith("cannot be changed"), v.violations().get(0).rule());
        assertEquals("must be between 1 and 64", v.violations().get(2).rule());
    }

    @Test
    void ifMatchComparesStronglyAndStarMatchesAny() {
        assertTrue(EntityTags.matches("\"abc-2\"", "\"abc-2\""));
        assertTrue(EntityTags.matches(" \"x-1\", \"abc-2\" ", "\"abc-2\""));
        assertTrue(EntityTags.matches("*", "\"abc-2\""));
        assertFalse(EntityTags.matches("\"abc-1\"", "\"abc-2\""));
        assertFalse(EntityTags.matches("W/\"abc-2\"", "\"abc-2\""), "a weak tag never matches");
    }
}
