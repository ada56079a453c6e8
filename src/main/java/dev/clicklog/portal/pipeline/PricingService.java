package dev.clicklog.portal.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.clicklog.portal.adapter.Arns;
import dev.clicklog.portal.adapter.AwsException;
import dev.clicklog.portal.adapter.MetricsReader;

/**
 * What a pipeline costs a month: its spec and a click rate, priced with AWS's list prices for the
 * portal's region from one data file ({@code pricing/aws-prices.json}, each price with its source and
 * the day it was looked up). The rate is the one measured on the stream over the last day, else the
 * one the team expects. What AWS charges for, per service:
 *
 * <ul>
 * <li>API Gateway: every click is a REST request;
 * <li>Kinesis, provisioned: shard-hours, PUT payload units (25 KB each), retention beyond 24 hours
 * (per shard-hour up to 7 days, per GB-month beyond); on demand: the stream-hour, GB written and
 * read (records rounded up to 1 KB; Firehose reads everything once), retention per GB-month;
 * <li>Firehose: GB ingested, records rounded up to 5 KB;
 * <li>S3: an object per buffer (whichever limit comes first), and storage, which grows by a month's
 * clicks every month they are kept.
 * </ul>
 */
@ApplicationScoped
public class PricingService {

    static final String PRICES = "pricing/aws-prices.json";
    /** AWS's month for hourly prices. */
    static final double HOURS_PER_MONTH = 730;
    static final double SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;
    /** A click as the snippets send it: a small JSON object. */
    public static final int DEFAULT_CLICK_BYTES = 500;
    /** Kinesis takes records of up to 1 MiB. */
    public static final int MAX_CLICK_BYTES = 1024 * 1024;
    /** How much GZIP shrinks newline-separated JSON clicks (five to one, conservatively). */
    static final double GZIP_RATIO = 0.2;
    private static final double GB = 1024.0 * 1024 * 1024;
    private static final int MEASURED_HOURS = 24;

    private record Price(double value, String unit, String source, String checked) {
    }

    private final Map<String, Map<String, Price>> regions;
    private final Arns arns;
    private final MetricsReader cloudWatch;

    PricingService(Arns arns, MetricsReader cloudWatch) {
        this.arns = arns;
        this.cloudWatch = cloudWatch;
        this.regions = load();
    }

    /** The regions the price file has prices for. */
    public List<String> regions() {
        return List.copyOf(regions.keySet());
    }

    /** The monthly cost of a spec at {@code clicksPerSecond} clicks of {@code clickBytes} each, in the portal's region. */
    public CostEstimate estimate(PipelineSpec spec, double clicksPerSecond, int clickBytes, String basis) {
        String wanted = arns.regionId();
        String region = regions.containsKey(wanted) ? wanted : "us-east-1";
        Map<String, Price> p = regions.get(region);
        Lines lines = new Lines(p);
        double clicks = clicksPerSecond * SECONDS_PER_MONTH;
        lines.add("API Gateway", "REST API requests", clicks / 1e6, "million requests", "apigateway.restRequests");
        streamCosts(lines, spec, clicks, clickBytes);
        lines.add("Firehose", "data ingested (records rounded up to 5 KB)", clicks * roundUp(clickBytes, 5 * 1024) / GB, "GB",
                "firehose.ingestGb");
        double storedBytes = clicks * (clickBytes + 1) * (spec.compression() == Compression.GZIP ? GZIP_RATIO : 1);
        lines.add("S3", "objects written", objects(spec, clicks, clickBytes) / 1000, "thousand PUT requests", "s3.putRequests");
        lines.add("S3", "storage of a month's clicks (grows every month they are kept)", storedBytes / GB, "GB-month",
                "s3.standardGbMonth");
        List<String> assumptions = new ArrayList<>(List.of(
                HOURS_PER_MONTH + " hours a month; list prices of the first tier, without the free tier",
                "every click is one request, one record and " + clickBytes + " bytes"));
        if (spec.compression() == Compression.GZIP) {
            assumptions.add("GZIP stores clicks in a fifth of their size");
        }
        return new CostEstimate(region, region.equals(wanted) ? null : wanted, clicksPerSecond, clickBytes, basis,
                lines.all, lines.total(), storedBytes / GB, assumptions);
    }

    /**
     * The monthly cost of a proposed pipeline (the new-pipeline form, a change on the Edit page, the
     * REST API): checked by the same rules as a request, except that its name and team are not looked
     * at. Its expected clicks per second are the rate.
     *
     * @throws InvalidPipelineException with every broken rule
     */
    public CostEstimate estimate(PipelineRequest proposed, List<Violation> unreadable, Integer clickBytes) {
        // Name and team cost nothing: a form whose name is still empty or half typed is priced all the same.
        PipelineRequest r = new PipelineRequest("proposed", "proposed", proposed.description(), proposed.shards(),
                proposed.onDemand(), proposed.retentionHours(), proposed.bufferSizeMb(), proposed.bufferIntervalSeconds(),
                proposed.compression(), proposed.s3Prefix(), proposed.allowedOrigins(), proposed.apiKeyRequired(),
                proposed.stageRateLimit(), proposed.stageBurstLimit(), proposed.expectedClicksPerSecond());
        List<Violation> violations = new ArrayList<>(PipelineSpec.check(r, unreadable).violations());
        if (clickBytes != null && (clickBytes < 1 || clickBytes > MAX_CLICK_BYTES)) {
            violations.add(new Violation("clickBytes", "must be between 1 and " + MAX_CLICK_BYTES));
        }
        if (!violations.isEmpty()) {
            throw new InvalidPipelineException(violations);
        }
        PipelineSpec spec = PipelineSpec.of(r);
        Double rate = spec.expectedClicksPerSecond();
        return estimate(spec, rate == null ? 0 : rate, clickBytes == null ? DEFAULT_CLICK_BYTES : clickBytes,
                rate == null ? "none" : "expected");
    }

    /**
     * A pipeline's monthly cost at the rate its stream measured over the last day (and the size of
     * its clicks then), or else at the rate its team expects.
     */
    public CostEstimate estimate(PipelineView p) {
        PipelineSpec spec = p.spec();
        Optional<double[]> measured = p.resources().streamName() == null ? Optional.empty()
                : measured(p.resources().streamName());
        if (measured.isPresent()) {
            return estimate(spec, measured.get()[0], (int) Math.round(measured.get()[1]), "measured");
        }
        Double expected = p.expectedClicksPerSecond();
        return estimate(spec, expected == null ? 0 : expected, DEFAULT_CLICK_BYTES, expected == null ? "none" : "expected");
    }

    private void streamCosts(Lines lines, PipelineSpec spec, double clicks, int clickBytes) {
        double gbPerDay = clicks / (HOURS_PER_MONTH / 24) * clickBytes / GB;
        int retention = spec.retentionHours();
        double extendedHours = Math.max(0, Math.min(retention, 168) - 24);
        double longTermHours = Math.max(0, retention - 168);
        if (spec.onDemand()) {
            lines.add("Kinesis", "on-demand stream-hours", HOURS_PER_MONTH, "stream-hours", "kinesis.onDemandStreamHour");
            double gb = clicks * roundUp(clickBytes, 1024) / GB;
            lines.add("Kinesis", "data written (records rounded up to 1 KB)", gb, "GB", "kinesis.onDemandIngestGb");
            lines.add("Kinesis", "data read by Firehose", gb, "GB", "kinesis.onDemandRetrievalGb");
            if (extendedHours > 0) {
                lines.add("Kinesis", "retention beyond 24 hours", gbPerDay * extendedHours / 24, "GB-month",
                        "kinesis.onDemandExtendedRetentionGbMonth");
            }
        } else {
            int shards = spec.shards();
            lines.add("Kinesis", shards + (shards == 1 ? " shard" : " shards"), shards * HOURS_PER_MONTH, "shard-hours",
                    "kinesis.shardHour");
            lines.add("Kinesis", "PUT payload units (25 KB each)", clicks * Math.ceil(clickBytes / (25.0 * 1024)) / 1e6,
                    "million units", "kinesis.putPayloadUnits");
            if (extendedHours > 0) {
                lines.add("Kinesis", "retention beyond 24 hours", shards * HOURS_PER_MONTH, "shard-hours",
                        "kinesis.extendedRetentionShardHour");
            }
        }
        if (longTermHours > 0) {
            lines.add("Kinesis", "retention beyond 7 days", gbPerDay * longTermHours / 24, "GB-month",
                    "kinesis.longTermRetentionGbMonth");
        }
    }

    /** Objects Firehose writes a month: one per full buffer, or per interval, whichever comes first; never more than clicks. */
    private static double objects(PipelineSpec spec, double clicks, int clickBytes) {
        if (clicks == 0) {
            return 0;
        }
        double bySize = clicks * (clickBytes + 1) / (spec.bufferSizeMb() * 1024.0 * 1024);
        double byTime = SECONDS_PER_MONTH / Math.max(1, spec.bufferIntervalSeconds());
        return Math.min(clicks, Math.max(bySize, byTime));
    }

    private static double roundUp(int bytes, int unit) {
        return Math.ceil(Math.max(1, bytes) / (double) unit) * unit;
    }

    /** Clicks per second and bytes per click the stream took over the last day; empty when it took none. */
    private Optional<double[]> measured(String stream) {
        Instant end = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
        Instant start = end.minus(Duration.ofHours(MEASURED_HOURS));
        Map<String, Double> sums = new HashMap<>();
        try {
            cloudWatch.read(List.of(
                    new MetricsReader.Query("records", "records", "AWS/Kinesis", "IncomingRecords", Map.of("StreamName", stream),
                            "Sum", 3600),
                    new MetricsReader.Query("bytes", "bytes", "AWS/Kinesis", "IncomingBytes", Map.of("StreamName", stream),
                            "Sum", 3600)),
                    start, end, s -> sums.merge(s.id(), s.values().stream().mapToDouble(Double::doubleValue).sum(), Double::sum));
        } catch (AwsException e) {
            // No measurement to go by: the expected rate is the next best.
            return Optional.empty();
        }
        double records = sums.getOrDefault("records", 0.0);
        if (records == 0) {
            return Optional.empty();
        }
        return Optional.of(new double[] { records / (MEASURED_HOURS * 3600.0), sums.getOrDefault("bytes", 0.0) / records });
    }

    /** The lines of one estimate, priced as they are added. */
    private static final class Lines {
        private final Map<String, Price> prices;
        private final List<CostEstimate.Line> all = new ArrayList<>();

        Lines(Map<String, Price> prices) {
            this.prices = prices;
        }

        void add(String service, String item, double quantity, String unit, String price) {
            Price p = prices.get(price);
            if (p == null) {
                throw new IllegalStateException(PRICES + " has no price " + price);
            }
            all.add(new CostEstimate.Line(service, item, quantity, unit, p.value(), quantity * p.value(), p.source(),
                    p.checked()));
        }

        double total() {
            return all.stream().mapToDouble(CostEstimate.Line::monthlyUsd).sum();
        }
    }

    private static Map<String, Map<String, Price>> load() {
        try (InputStream in = PricingService.class.getClassLoader().getResourceAsStream(PRICES)) {
            if (in == null) {
                throw new IllegalStateException(PRICES + " is missing");
            }
            JsonNode root = new ObjectMapper().readTree(in);
            Map<String, Map<String, Price>> regions = new HashMap<>();
            root.path("regions").fields().forEachRemaining(r -> {
                Map<String, Price> prices = new HashMap<>();
                r.getValue().path("prices").fields().forEachRemaining(e -> prices.put(e.getKey(), new Price(
                        e.getValue().path("value").asDouble(), e.getValue().path("unit").asText(),
                        e.getValue().path("source").asText(), e.getValue().path("checked").asText())));
                regions.put(r.getKey(), Map.copyOf(prices));
            });
            return Map.copyOf(regions);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
