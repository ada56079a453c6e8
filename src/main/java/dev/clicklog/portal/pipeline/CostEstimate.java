package dev.clicklog.portal.pipeline;

import java.util.List;

/**
 * What a pipeline costs a month at a click rate, from AWS's list prices for its region: a line per
 * charge, their total, and what the estimate rests on.
 *
 * @param region           the AWS region whose prices were used
 * @param pricesFor        the region the prices were asked for, when it has none of its own (null otherwise)
 * @param clicksPerSecond  the rate the estimate assumes
 * @param clickBytes       the average size of a click it assumes
 * @param basis            where the rate comes from: "measured" (the stream's last 24 hours),
 *                         "expected" (what the team typed), or "none" (nothing known: fixed costs only)
 * @param monthlyUsd       the total of every line
 * @param storageGrowthGb  S3 storage added each month the clicks are kept; its cost adds up month after month
 */
public record CostEstimate(String region, String pricesFor, double clicksPerSecond, int clickBytes, String basis,
        List<Line> lines, double monthlyUsd, double storageGrowthGb, List<String> assumptions) {

    /**
     * One charge: what it is for, the quantity a month and its unit, the unit price and the cost,
     * with the page AWS lists the price on and when it was looked up.
     */
    public record Line(String service, String item, double quantity, String unit, double unitPriceUsd, double monthlyUsd,
            String source, String checked) {
    }
}
