package dev.clicklog.localaws.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.clicklog.localaws.LocalAwsConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * The faults the configuration arms ({@code clicklog.localaws.faults.*}), read as the portal reads
 * its configuration: the delays are in force from the start and after {@link FaultInjector#clear()},
 * and an entry that is not understood is refused with a message naming it.
 */
class FaultInjectorTest {

    private static final Duration DAY = Duration.ofHours(24);

    @Test
    void configuredDelaysAreInForceInsteadOfTheDefaults() {
        FaultInjector faults = injector("kinesis.retention-period=PT30S, firehose.delivery-stream-drain=PT0.5S");

        assertEquals(Duration.ofSeconds(30), faults.delayOr("kinesis.retention-period", DAY));
        assertEquals(Duration.ofMillis(500), faults.delayOr("firehose.delivery-stream-drain", Duration.ofSeconds(60)));
        assertEquals(Duration.ofMinutes(5), faults.delayOr("kinesis.shard-iterator-expiry", Duration.ofMinutes(5)));
    }

    @Test
    void clearKeepsTheConfiguredDelaysAndDropsWhatATestArmed() {
        FaultInjector faults = injector("kinesis.retention-period=PT30S");
        faults.overrideDelay("kinesis.retention-period", Duration.ofMillis(100));
        faults.overrideDelay("kinesis.stream-activation", Duration.ofSeconds(2));
        assertEquals(Duration.ofMillis(100), faults.delayOr("kinesis.retention-period", DAY));

        faults.clear();

        assertEquals(Duration.ofSeconds(30), faults.delayOr("kinesis.retention-period", DAY));
        assertEquals(Duration.ofMillis(200), faults.delayOr("kinesis.stream-activation", Duration.ofMillis(200)));
    }

    @Test
    void noDelaysConfiguredLeavesEveryDefault() {
        FaultInjector faults = injector(null);
        for (String name : FaultInjector.DELAYS) {
            assertEquals(DAY, faults.delayOr(name, DAY), name);
        }
    }

    @Test
    void anEntryThatIsNotUnderstoodIsRefusedByName() {
        refused("kinesis.retention-period", "is not name=duration");
        refused("kinesis.retention=PT30S", "names no delay; the delays are firehose.delivery-stream-activation");
        refused("kinesis.retention-period=30s", "ISO-8601 duration");
        refused("kinesis.retention-period=-PT1S", "ISO-8601 duration of zero or more");
        refused("kinesis.retention-period=", "ISO-8601 duration");
    }

    @Test
    void aDelayNoServiceReadsCannotBeArmedOrRead() {
        FaultInjector faults = injector(null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> faults.overrideDelay("kinesis.retention", Duration.ZERO));
        assertTrue(e.getMessage().contains("no delay is named 'kinesis.retention'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> faults.delayOr("kinesis.retention", DAY));
    }

    private static void refused(String entry, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> injector("kinesis.stream-activation=PT1S," + entry));
        assertTrue(e.getMessage().startsWith("clicklog.localaws.faults.delays: '" + entry + "'"), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    /** A fault injector over the configuration with {@code clicklog.localaws.faults.delays} as given. */
    private static FaultInjector injector(String delays) {
        Map<String, String> properties = delays == null ? Map.of() : Map.of("clicklog.localaws.faults.delays", delays);
        LocalAwsConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, "test", 300))
                .withConverter(Duration.class, 200, new DurationConverter())
                .withConverter(MemorySize.class, 200, new MemorySizeConverter())
                .withMapping(LocalAwsConfig.class).build().getConfigMapping(LocalAwsConfig.class);
        return new FaultInjector(config);
    }
}
