/**
 * What one emulated service offers the others in-process, as AWS's services share IAM and
 * CloudWatch behind the scenes: {@link dev.clicklog.localaws.spi.RoleAccess} (IAM's decisions for a
 * service acting through a role), {@link dev.clicklog.localaws.spi.MetricSink} (the metrics a
 * service publishes) and {@link dev.clicklog.localaws.spi.LogSink} (the logs a service writes into
 * CloudWatch Logs). A service package imports only these ports, the shared {@code http},
 * {@code protocol}, {@code fault} and {@code storage} packages, and its own classes; everything else
 * between services goes over the wire.
 */
package dev.clicklog.localaws.spi;
