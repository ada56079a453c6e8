package dev.clicklog.portal.observe;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reading the observation parameters as the REST API and the pages receive them (strings), so a
 * malformed one is answered with its name and rule rather than a generic error.
 */
public final class QueryParameters {

    private QueryParameters() {
    }

    /** A whole number in [min, max]; the default when absent or blank. */
    public static int integer(String name, String raw, int defaultValue, int min, int max) {
        if (raw == null || raw.isBlank()) {
            return defaultValue;
        }
        int value;
        try {
            value = Integer.parseInt(raw.strip());
        } catch (NumberFormatException e) {
            throw ObserveException.invalid(name, "must be a whole number between " + min + " and " + max);
        }
        if (value < min || value > max) {
            throw ObserveException.invalid(name, "must be between " + min + " and " + max);
        }
        return value;
    }

    /** An ISO-8601 instant ({@code 2025-01-31T12:00:00Z}, or with an offset); empty when absent or blank. */
    public static Optional<Instant> instant(String name, String raw) {
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        String text = raw.strip();
        try {
            return Optional.of(Instant.parse(text));
        } catch (DateTimeParseException e) {
            try {
                return Optional.of(OffsetDateTime.parse(text).toInstant());
            } catch (DateTimeParseException again) {
                throw ObserveException.invalid(name, "must be an ISO-8601 date-time such as 2025-01-31T12:00:00Z");
            }
        }
    }
}
