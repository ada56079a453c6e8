package dev.clicklog.portal.web.ui;

import java.util.List;

import dev.clicklog.portal.pipeline.CostEstimate;
import dev.clicklog.portal.pipeline.InvalidPipelineException;
import dev.clicklog.portal.pipeline.PipelineRequest;
import dev.clicklog.portal.pipeline.PricingService;

/**
 * The cost estimate a form shows for what it asks for — the new pipeline, or the proposed change on
 * the Edit page — or why it cannot show one yet (a field the estimate needs is not valid).
 */
public record CostPanel(CostEstimate cost, String problem) {

    static CostPanel of(PricingService pricing, PipelineForm form) {
        FormErrors errors = new FormErrors();
        PipelineRequest request = form.toRequest(errors);
        if (!errors.isEmpty()) {
            return unpriced();
        }
        try {
            return new CostPanel(pricing.estimate(request, List.of(), null), null);
        } catch (InvalidPipelineException e) {
            return unpriced();
        }
    }

    private static CostPanel unpriced() {
        return new CostPanel(null, "The estimate follows the form once its capacity, retention, buffering and expected "
                + "clicks are valid.");
    }
}
