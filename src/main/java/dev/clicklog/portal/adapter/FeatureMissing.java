package dev.clicklog.portal.adapter;

/**
 * An endpoint was found not to serve an optional feature (or more was learned about why): every
 * pipeline on it goes without the feature, and says so.
 */
public record FeatureMissing(EndpointCapabilities.Finding finding) {
}
