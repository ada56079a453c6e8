package dev.clicklog.localaws.spi;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Namespace, metric name and dimensions (sorted by name): one CloudWatch metric. */
public record MetricId(String namespace, String metricName, SortedMap<String, String> dimensions) {

    public MetricId {
        dimensions = Collections.unmodifiableSortedMap(new TreeMap<>(dimensions));
    }

    public static MetricId of(String namespace, String metricName, Map<String, String> dimensions) {
        return new MetricId(namespace, metricName, new TreeMap<>(dimensions));
    }
}
