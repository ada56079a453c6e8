package dev.clicklog.localaws.cloudwatch;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.SortedMap;
import java.util.TreeMap;

import dev.clicklog.localaws.spi.MetricId;
import dev.clicklog.localaws.storage.Codec;

/**
 * What the {@code cloudwatch} journal records: one minute of one metric, its aggregate as it was
 * when logged. Binary, as a store with many small changes writes them.
 */
sealed interface MetricChange permits MetricChange.Minute {

    String STORE = "cloudwatch";

    /** A minute's aggregate: replaying it puts it back as it was. */
    record Minute(MetricId metric, long minute, double sum, double sampleCount, double minimum, double maximum,
            String unit) implements MetricChange {
    }

    /** Version 1: namespace, name, dimensions, minute, the four statistics, the unit (or none). */
    final class MetricCodec implements Codec<MetricChange> {

        @Override
        public int version() {
            return 1;
        }

        @Override
        public void write(MetricChange change, DataOutput out) throws IOException {
            Minute m = (Minute) change;
            out.writeUTF(m.metric().namespace());
            out.writeUTF(m.metric().metricName());
            out.writeShort(m.metric().dimensions().size());
            for (var d : m.metric().dimensions().entrySet()) {
                out.writeUTF(d.getKey());
                out.writeUTF(d.getValue());
            }
            out.writeLong(m.minute());
            out.writeDouble(m.sum());
            out.writeDouble(m.sampleCount());
            out.writeDouble(m.minimum());
            out.writeDouble(m.maximum());
            out.writeBoolean(m.unit() != null);
            if (m.unit() != null) {
                out.writeUTF(m.unit());
            }
        }

        @Override
        public MetricChange read(int version, DataInput in) throws IOException {
            String namespace = in.readUTF();
            String name = in.readUTF();
            int dimensions = in.readUnsignedShort();
            SortedMap<String, String> dims = new TreeMap<>();
            for (int i = 0; i < dimensions; i++) {
                dims.put(in.readUTF(), in.readUTF());
            }
            long minute = in.readLong();
            double sum = in.readDouble();
            double count = in.readDouble();
            double min = in.readDouble();
            double max = in.readDouble();
            String unit = in.readBoolean() ? in.readUTF() : null;
            return new Minute(new MetricId(namespace, name, dims), minute, sum, count, min, max, unit);
        }
    }
}
