package dev.clicklog.portal.pipeline.step;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.clicklog.portal.adapter.EndpointCapabilities;
import dev.clicklog.portal.adapter.MetricsReader;
import dev.clicklog.portal.adapter.OptionalFeature;
import dev.clicklog.portal.pipeline.PipelinesConfig;

/**
 * Whether a delivery stream has delivered everything its source stream holds, once the ingest API
 * closed: only then may the delivery stream and the stream go. Firehose does not promise to deliver
 * what a deleted delivery stream holds, so the portal waits, reading what AWS publishes:
 *
 * <ul>
 * <li>its last writes to S3 succeeded (DeliveryToS3.Success 1), and it has read the stream to its
 * tip (KinesisMillisBehindLatest 0);
 * <li>then, if nothing came into the stream during the buffer interval before the close (Kinesis
 * IncomingRecords), whatever came before was written out already — done;
 * <li>otherwise a buffer interval must pass, the longest a record waits in Firehose's buffer.
 * </ul>
 *
 * CloudWatch keeps these per minute, so the answer is conservative by up to a minute or two.
 * <p>
 * An endpoint that serves no metrics, or publishes none for the delivery stream, leaves only time
 * to go by: the delivery stream is taken as drained once it had the grace to read the last clicks
 * and a buffer interval, plus the grace again, to write them.
 */
@ApplicationScoped
public class Drain {

    /** Where the drain is. */
    public sealed interface State {
    }

    public record Drained(String how) implements State {
    }

    public record Waiting(String why) implements State {
    }

    public record TimedOut(String why) implements State {
    }

    private static final int PERIOD_SECONDS = 60;
    private static final Duration PERIOD = Duration.ofSeconds(PERIOD_SECONDS);

    private final MetricsReader cloudWatch;
    private final EndpointCapabilities capabilities;
    private final PipelinesConfig.Drain config;

    Drain(MetricsReader cloudWatch, EndpointCapabilities capabilities, PipelinesConfig config) {
        this.cloudWatch = cloudWatch;
        this.capabilities = capabilities;
        this.config = config.drain();
    }

    /**
     * @param closedAt when the ingest API was deleted
     * @param bufferSeconds the delivery stream's buffer interval
     */
    public State check(String stream, String deliveryStream, Instant closedAt, int bufferSeconds, Instant now) {
        Instant settled = closedAt.plus(config.grace());
        if (now.isBefore(settled)) {
            return new Waiting("the ingest API closed at " + clock(closedAt) + "; Firehose reads what came in last");
        }
        if (now.isAfter(closedAt.plus(config.timeout()))) {
            return new TimedOut("Firehose has not delivered everything stream " + stream + " holds within "
                    + config.timeout().toMinutes() + " min of the ingest API closing; the stream and delivery stream "
                    + deliveryStream + " are kept so nothing is lost. Retry the delete once Firehose delivers again");
        }
        Duration buffer = Duration.ofSeconds(bufferSeconds);
        Instant from = closedAt.minus(buffer).minus(PERIOD).truncatedTo(ChronoUnit.MINUTES);
        Optional<Map<String, MetricsReader.Series>> read = capabilities.attempt(OptionalFeature.METRICS,
                () -> read(stream, deliveryStream, from, now.plus(PERIOD)));
        if (read.isEmpty()) {
            return byTime(deliveryStream, settled, buffer, now, "the endpoint serves no metrics");
        }
        Map<String, MetricsReader.Series> series = read.get();
        List<Double> success = series.get("success").values();
        if (!success.isEmpty() && success.get(success.size() - 1) < 1) {
            return new Waiting("delivery stream " + deliveryStream + " could not write to S3 lately; waiting until it does");
        }
        MetricsReader.Series behindSeries = series.get("behind");
        List<Double> behind = behindSeries.values();
        if (behind.isEmpty() && success.isEmpty() && !now.isBefore(settled.plus(buffer).plus(PERIOD.multipliedBy(3)))) {
            // Firehose publishes these every minute it runs: none for minutes means this endpoint does not.
            return byTime(deliveryStream, settled, buffer, now, "the endpoint published no metrics of it");
        }
        if (behind.isEmpty() || behind.get(behind.size() - 1) > 0) {
            return new Waiting("delivery stream " + deliveryStream + " is still reading stream " + stream);
        }
        if (series.get("incoming").values().stream().mapToDouble(Double::doubleValue).sum() == 0) {
            return new Drained("delivery stream " + deliveryStream + " has read stream " + stream + " to its end, and "
                    + "nothing came in during the buffer interval before the ingest API closed: it holds nothing");
        }
        // It caught up by the end of the last minute it was behind in (or had by the close): its buffer is out a buffer interval later.
        Instant caughtUp = settled;
        for (int i = 0; i < behind.size(); i++) {
            Instant end = behindSeries.timestamps().get(i).plus(PERIOD);
            if (behind.get(i) > 0 && end.isAfter(caughtUp)) {
                caughtUp = end;
            }
        }
        Instant flushed = caughtUp.plus(buffer);
        if (now.isBefore(flushed)) {
            return new Waiting("delivery stream " + deliveryStream + " has read everything and writes what it buffers by "
                    + clock(flushed));
        }
        return new Drained("delivery stream " + deliveryStream + " read stream " + stream + " to its end and wrote what "
                + "it buffered");
    }

    /** Drained once the last clicks had the grace to be read, and a buffer interval and the grace again to be written. */
    private State byTime(String deliveryStream, Instant settled, Duration buffer, Instant now, String why) {
        Instant flushed = settled.plus(buffer).plus(config.grace());
        if (now.isBefore(flushed)) {
            return new Waiting(why + ": delivery stream " + deliveryStream + " is given until " + clock(flushed)
                    + " to write what it buffers");
        }
        return new Drained(why + ": delivery stream " + deliveryStream + " was given a buffer interval after the "
                + "ingest API closed to write what it buffered");
    }

    private Map<String, MetricsReader.Series> read(String stream, String deliveryStream, Instant from, Instant to) {
        List<MetricsReader.Query> queries = List.of(
                new MetricsReader.Query("incoming", "incoming", "AWS/Kinesis", "IncomingRecords",
                        Map.of("StreamName", stream), "Sum", PERIOD_SECONDS),
                new MetricsReader.Query("behind", "behind", "AWS/Firehose", "KinesisMillisBehindLatest",
                        Map.of("DeliveryStreamName", deliveryStream), "Maximum", PERIOD_SECONDS),
                new MetricsReader.Query("success", "success", "AWS/Firehose", "DeliveryToS3.Success",
                        Map.of("DeliveryStreamName", deliveryStream), "Minimum", PERIOD_SECONDS));
        Map<String, MetricsReader.Series> series = new HashMap<>();
        queries.forEach(q -> series.put(q.id(), new MetricsReader.Series(q.id(), List.of(), List.of())));
        cloudWatch.read(queries, from, to, s -> series.put(s.id(), s));
        return series;
    }

    private static String clock(Instant at) {
        return at.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
