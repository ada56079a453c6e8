package dev.clicklog.portal.web.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.clicklog.portal.pipeline.PipelineRequest;
import dev.clicklog.portal.pipeline.PipelineSpec;
import dev.clicklog.portal.pipeline.Violation;

class PipelineFormTest {

    @Test
    void theFormsDefaultsAreTheApisDefaults() {
        PipelineForm form = PipelineForm.defaults();
        PipelineForm filled = new PipelineForm("clicks", "team", form.description(), form.capacity(), form.shards(),
                form.retentionHours(), form.bufferSizeMb(), form.bufferIntervalSeconds(), form.compression(),
                form.s3Prefix(), form.allowedOrigins(), form.apiKeyRequired(), form.stageRateLimit(), form.stageBurstLimit(),
                form.expectedClicksPerSecond(), null);
        FormErrors errors = new FormErrors();

        PipelineSpec fromForm = PipelineSpec.of(filled.toRequest(errors));
        PipelineSpec fromApi = PipelineSpec.of(new PipelineRequest("clicks", "team", null, null, null, null, null, null,
                null, null, null, null));

        assertTrue(errors.isEmpty());
        assertEquals(fromApi, fromForm);
    }

    @Test
    void onDemandLeavesTheShardsOutAndOriginsAreOneALine() {
        PipelineForm form = new PipelineForm(" clicks ", "team", "", PipelineForm.ON_DEMAND, "4", "48", "", "", "GZIP",
                "a/", "https://a.example\r\n\r\nhttps://b.example, https://c.example\n", "true", "", "", "2.5", null);
        PipelineRequest request = form.toRequest(new FormErrors());

        assertEquals("clicks", request.name());
        assertEquals(null, request.shards());
        assertEquals(true, request.onDemand());
        assertEquals(48, request.retentionHours());
        assertEquals(null, request.bufferSizeMb(), "an empty number takes the default");
        assertEquals(List.of("https://a.example", "https://b.example", "https://c.example"), request.allowedOrigins());
        assertEquals(true, request.apiKeyRequired());
        assertEquals(2.5, request.expectedClicksPerSecond());
        assertEquals(null, request.stageRateLimit(), "empty: the portal's default");
    }

    @Test
    void aNumberThatIsNotOneIsReportedAndTheOtherRulesStillApply() {
        PipelineForm form = new PipelineForm("clicks", "", null, PipelineForm.PROVISIONED, "two", "24", "5", "60",
                "NONE", "clicks/", "*", null, "", "", "", null);
        FormErrors errors = new FormErrors();
        PipelineSpec.check(form.toRequest(errors)).violations().forEach(errors::add);

        assertEquals("Shards must be a whole number", errors.get("shards"));
        assertEquals("Team is required", errors.get("team"));
        assertEquals(List.of("team", "shards"), errors.entries().stream().map(FormErrors.Entry::field).toList(),
                "the summary follows the form's order");
    }

    @Test
    void aRuleAboutOneOriginNamesItsLine() {
        FormErrors errors = new FormErrors();
        errors.add(new Violation("allowedOrigins[1]", "is listed twice"));
        assertEquals("Allowed origins line 2: is listed twice", errors.get("allowedOrigins"));
    }
}
