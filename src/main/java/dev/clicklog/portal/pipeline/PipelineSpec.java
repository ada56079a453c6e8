package dev.clicklog.portal.pipeline;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import dev.clicklog.portal.adapter.ResourceNames;

/**
 * A pipeline request, validated and with every default filled in. This is the one place the field
 * rules live: the REST API and the web form both call {@link #check}, so they report the same
 * violations in the same words — when a pipeline is requested and when it is changed
 * ({@link #checkChange}: the same rules, and the fields that cannot change).
 *
 * @param stageRateLimit  null: the portal's default throttling of the ingest API's stage
 * @param stageBurstLimit null: the portal's default
 * @param expectedClicksPerSecond null: not given; only the cost estimate uses it
 */
public record PipelineSpec(
        String name,
        String team,
        String description,
        Integer shards,
        boolean onDemand,
        int retentionHours,
        int bufferSizeMb,
        int bufferIntervalSeconds,
        Compression compression,
        String s3Prefix,
        List<String> allowedOrigins,
        boolean apiKeyRequired,
        Integer stageRateLimit,
        Integer stageBurstLimit,
        Double expectedClicksPerSecond) {

    public static final int MIN_SHARDS = 1;
    public static final int MAX_SHARDS = 64;
    public static final int DEFAULT_SHARDS = 1;
    /** Kinesis keeps records between 24 hours and 365 days. */
    public static final int MIN_RETENTION_HOURS = 24;
    public static final int MAX_RETENTION_HOURS = 8760;
    /** Firehose's buffering limits. */
    public static final int MIN_BUFFER_MB = 1;
    public static final int MAX_BUFFER_MB = 128;
    public static final int DEFAULT_BUFFER_MB = 5;
    public static final int MIN_BUFFER_SECONDS = 0;
    public static final int MAX_BUFFER_SECONDS = 900;
    public static final int DEFAULT_BUFFER_SECONDS = 60;
    public static final String DEFAULT_S3_PREFIX = "clicks/";
    public static final int MAX_S3_PREFIX = 200;
    public static final int MAX_TEAM = 64;
    public static final int MAX_DESCRIPTION = 500;
    public static final int MAX_ORIGINS = 10;
    /** "https://" + the longest host name (253) + ":65535". */
    public static final int MAX_ORIGIN_LENGTH = WebOrigin.MAX_LENGTH;
    public static final String ANY_ORIGIN = "*";
    /** API Gateway's default account limits, which no stage can exceed: 10,000 requests per second, bursts of 5,000. */
    public static final int MIN_STAGE_RATE = 1;
    public static final int MAX_STAGE_RATE = 10_000;
    public static final int MIN_STAGE_BURST = 1;
    public static final int MAX_STAGE_BURST = 5_000;
    public static final double MAX_EXPECTED_CLICKS = 1_000_000;
    /** The fields a pipeline keeps for life: its resources are named and tagged by them, its clicks stored by them. */
    public static final List<String> IMMUTABLE = List.of("name", "team", "s3Prefix");

    /** Tag values allow letters, digits, spaces and {@code _.:/=+-@}; the team is a tag on every resource. */
    private static final Pattern TEAM = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9 _.:/=+@-]*[A-Za-z0-9_.:/=+@-])?");
    /** S3's "safe" key characters, in "/"-terminated segments; no Firehose expressions ("!{"). */
    private static final Pattern S3_PREFIX = Pattern.compile("(?:[A-Za-z0-9_.*'()-]+/)*");

    /** The outcome of checking a request: the spec, or every violation found. */
    public record Validation(Optional<PipelineSpec> spec, List<Violation> violations) {

        public boolean valid() {
            return violations.isEmpty();
        }
    }

    /** Validates a request, or throws with every violation. */
    public static PipelineSpec of(PipelineRequest request) {
        return of(request, List.of());
    }

    /**
     * Validates a request of which some fields could not be read (a JSON value of the wrong type:
     * {@code unreadable} names them, and the request has null there), or throws with every violation.
     */
    public static PipelineSpec of(PipelineRequest request, List<Violation> unreadable) {
        Validation v = check(request, unreadable);
        return v.spec().orElseThrow(() -> new InvalidPipelineException(v.violations()));
    }

    /**
     * As {@link #check(PipelineRequest)}, with the violations found while reading the request: a
     * field named there is not checked again, and all violations come in the request's field order.
     */
    public static Validation check(PipelineRequest r, List<Violation> unreadable) {
        if (unreadable.isEmpty()) {
            return check(r);
        }
        Set<String> reported = new HashSet<>();
        unreadable.forEach(v -> reported.add(baseField(v.field())));
        List<Violation> all = new ArrayList<>(unreadable);
        check(r).violations().stream().filter(v -> !reported.contains(baseField(v.field()))).forEach(all::add);
        all.sort(Comparator.comparingInt(v -> fieldOrder(v.field())));
        return new Validation(Optional.empty(), List.copyOf(all));
    }

    /** Checks every field of the request and fills in the defaults; reports each broken rule once per field. */
    public static Validation check(PipelineRequest r) {
        List<Violation> violations = new ArrayList<>();
        String name = name(r.name(), violations);
        String team = team(r.team(), violations);
        String description = r.description() == null || r.description().isBlank() ? null : r.description().strip();
        if (description != null && description.length() > MAX_DESCRIPTION) {
            violations.add(new Violation("description", "must be at most " + MAX_DESCRIPTION + " characters long"));
        } else if (description != null) {
            textProblem(description, true).ifPresent(rule -> violations.add(new Violation("description", rule)));
        }
        boolean onDemand = Boolean.TRUE.equals(r.onDemand());
        Integer shards = null;
        if (onDemand) {
            if (r.shards() != null) {
                violations.add(new Violation("shards", "must not be set when onDemand is true"));
            }
        } else {
            shards = range("shards", r.shards(), DEFAULT_SHARDS, MIN_SHARDS, MAX_SHARDS, violations);
        }
        int retention = range("retentionHours", r.retentionHours(), MIN_RETENTION_HOURS, MIN_RETENTION_HOURS,
                MAX_RETENTION_HOURS, violations);
        int bufferMb = range("bufferSizeMb", r.bufferSizeMb(), DEFAULT_BUFFER_MB, MIN_BUFFER_MB, MAX_BUFFER_MB, violations);
        int bufferSeconds = range("bufferIntervalSeconds", r.bufferIntervalSeconds(), DEFAULT_BUFFER_SECONDS,
                MIN_BUFFER_SECONDS, MAX_BUFFER_SECONDS, violations);
        Compression compression = compression(r.compression(), violations);
        String prefix = s3Prefix(r.s3Prefix(), violations);
        List<String> origins = origins(r.allowedOrigins(), violations);
        Integer rate = r.stageRateLimit() == null ? null
                : range("stageRateLimit", r.stageRateLimit(), 0, MIN_STAGE_RATE, MAX_STAGE_RATE, violations);
        Integer burst = r.stageBurstLimit() == null ? null
                : range("stageBurstLimit", r.stageBurstLimit(), 0, MIN_STAGE_BURST, MAX_STAGE_BURST, violations);
        Double expected = r.expectedClicksPerSecond();
        if (expected != null && (expected.isNaN() || expected < 0 || expected > MAX_EXPECTED_CLICKS)) {
            violations.add(new Violation("expectedClicksPerSecond", "must be between 0 and " + (long) MAX_EXPECTED_CLICKS));
        }
        if (!violations.isEmpty()) {
            return new Validation(Optional.empty(), List.copyOf(violations));
        }
        return new Validation(Optional.of(new PipelineSpec(name, team, description, shards, onDemand, retention, bufferMb,
                bufferSeconds, compression, prefix, origins, Boolean.TRUE.equals(r.apiKeyRequired()), rate, burst,
                expected)), List.of());
    }

    /**
     * Checks a changed request against the spec it changes: every rule of a new request, and the
     * fields that cannot change ({@link #IMMUTABLE}) unchanged.
     */
    public static Validation checkChange(PipelineSpec current, PipelineRequest changed, List<Violation> unreadable) {
        Validation v = check(changed, unreadable);
        List<Violation> immutable = new ArrayList<>();
        PipelineRequest was = current.toRequest();
        for (String field : IMMUTABLE) {
            Object before = value(was, field);
            Object after = value(changed, field);
            if (!Objects.equals(before, after) && unreadable.stream().noneMatch(u -> u.field().equals(field))) {
                immutable.add(new Violation(field, "cannot be changed: it is " + (before == null ? "unset" : "'" + before + "'")
                        + " for the pipeline's life (its resources are named, tagged and stored by it); request a new "
                        + "pipeline instead"));
            }
        }
        if (immutable.isEmpty()) {
            return v;
        }
        List<Violation> all = new ArrayList<>(immutable);
        v.violations().stream().filter(x -> !IMMUTABLE.contains(baseField(x.field()))).forEach(all::add);
        all.sort(Comparator.comparingInt(x -> fieldOrder(x.field())));
        return new Validation(Optional.empty(), List.copyOf(all));
    }

    /** This spec as a request: every field as it is (the defaults filled in), so a change can be merged onto it. */
    public PipelineRequest toRequest() {
        return new PipelineRequest(name, team, description, shards, onDemand, retentionHours, bufferSizeMb,
                bufferIntervalSeconds, compression.name(), s3Prefix, allowedOrigins, apiKeyRequired, stageRateLimit,
                stageBurstLimit, expectedClicksPerSecond);
    }

    private static Object value(PipelineRequest request, String field) {
        for (RecordComponent c : PipelineRequest.class.getRecordComponents()) {
            if (c.getName().equals(field)) {
                try {
                    return c.getAccessor().invoke(request);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        throw new IllegalArgumentException("no field " + field);
    }

    private static String name(String name, List<Violation> violations) {
        if (name == null || name.isEmpty()) {
            violations.add(new Violation("name", "is required"));
        } else if (name.length() < ResourceNames.MIN_LENGTH || name.length() > ResourceNames.MAX_LENGTH) {
            violations.add(new Violation("name", "must be " + ResourceNames.MIN_LENGTH + " to " + ResourceNames.MAX_LENGTH
                    + " characters long"));
        } else if (!ResourceNames.PIPELINE_NAME.matcher(name).matches()) {
            violations.add(new Violation("name",
                    "must be lowercase letters, digits and hyphens, start with a letter and end with a letter or digit"));
        }
        return name;
    }

    private static String team(String team, List<Violation> violations) {
        teamProblem(team).ifPresent(rule -> violations.add(new Violation("team", rule)));
        return team;
    }

    /** What is wrong with a team name (it is a tag value on every resource of its pipelines); empty when nothing. */
    public static Optional<String> teamProblem(String team) {
        if (team == null || team.isBlank()) {
            return Optional.of("is required");
        }
        if (team.length() > MAX_TEAM) {
            return Optional.of("must be at most " + MAX_TEAM + " characters long");
        }
        if (!TEAM.matcher(team).matches()) {
            return Optional.of("must be letters, digits, spaces and _ . : / = + - @, starting with a letter or digit");
        }
        return Optional.empty();
    }

    /**
     * What is wrong with free text a person typed (a description, a token's name): control
     * characters, and characters that change how text reads without being seen — bidirectional
     * overrides and isolates, zero-width characters and other formatting (Unicode's Cf), line and
     * paragraph separators, surrogates without their pair, non-characters and U+FFFD, what a
     * malformed byte sequence decodes to. Where {@code lineBreaks}, ordinary line breaks (LF, CRLF,
     * CR) are text. Empty when nothing is wrong.
     */
    public static Optional<String> textProblem(String text, boolean lineBreaks) {
        for (int i = 0; i < text.length();) {
            int c = text.codePointAt(i);
            boolean lineBreak = c == '\n' || c == '\r';
            if (!(lineBreaks && lineBreak) && invisible(c)) {
                String name = Character.getName(c);
                return Optional.of("must not contain control or invisible characters: "
                        + String.format("U+%04X", c) + (name == null ? "" : " (" + name + ")") + " at position " + (i + 1));
            }
            i += Character.charCount(c);
        }
        return Optional.empty();
    }

    private static boolean invisible(int c) {
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
                || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                || c == 0xFFFD || (c & 0xFFFE) == 0xFFFE || (c >= 0xFDD0 && c <= 0xFDEF);
    }

    private static int range(String field, Integer value, int defaultValue, int min, int max, List<Violation> violations) {
        if (value == null) {
            return defaultValue;
        }
        if (value < min || value > max) {
            violations.add(new Violation(field, "must be between " + min + " and " + max));
        }
        return value;
    }

    private static Compression compression(String value, List<Violation> violations) {
        if (value == null) {
            return Compression.NONE;
        }
        for (Compression c : Compression.values()) {
            if (c.name().equals(value)) {
                return c;
            }
        }
        violations.add(new Violation("compression", "must be one of NONE, GZIP"));
        return Compression.NONE;
    }

    private static String s3Prefix(String prefix, List<Violation> violations) {
        if (prefix == null) {
            return DEFAULT_S3_PREFIX;
        }
        if (prefix.length() > MAX_S3_PREFIX) {
            violations.add(new Violation("s3Prefix", "must be at most " + MAX_S3_PREFIX + " characters long"));
        } else if (!S3_PREFIX.matcher(prefix).matches()) {
            violations.add(new Violation("s3Prefix", "must be empty or folder names ending with '/', of letters, digits "
                    + "and _ . * ' ( ) -, e.g. clicks/"));
        } else if (("/" + prefix).contains("/./") || ("/" + prefix).contains("/../")) {
            violations.add(new Violation("s3Prefix", "must not contain '.' or '..' folders"));
        } else if (prefix.startsWith("errors/")) {
            violations.add(new Violation("s3Prefix", "must not start with errors/, where Firehose puts failed records"));
        }
        return prefix;
    }

    /**
     * At most {@link #MAX_ORIGINS} of at most {@link #MAX_ORIGIN_LENGTH} characters: the list, a line
     * per origin, always fits its column (VARCHAR(2700)).
     */
    private static List<String> origins(List<String> origins, List<Violation> violations) {
        if (origins == null || origins.isEmpty()) {
            return List.of(ANY_ORIGIN);
        }
        if (origins.size() > MAX_ORIGINS) {
            violations.add(new Violation("allowedOrigins", "must have at most " + MAX_ORIGINS + " entries"));
            return origins;
        }
        LinkedHashSet<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < origins.size(); i++) {
            String o = origins.get(i);
            String field = "allowedOrigins[" + i + "]";
            Optional<String> problem = o == null ? Optional.of("must be a string")
                    : ANY_ORIGIN.equals(o) ? Optional.empty() : WebOrigin.problem(o);
            if (problem.isPresent()) {
                violations.add(new Violation(field, problem.get()));
            } else if (ANY_ORIGIN.equals(o) && origins.size() > 1) {
                violations.add(new Violation(field, "* allows every origin and cannot be combined with others"));
            } else if (!seen.add(o)) {
                violations.add(new Violation(field, "is listed twice"));
            }
        }
        return List.copyOf(seen);
    }

    /** "allowedOrigins[2]" → "allowedOrigins". */
    private static String baseField(String field) {
        int bracket = field.indexOf('[');
        return bracket < 0 ? field : field.substring(0, bracket);
    }

    /** Where the field is in a request (its place in {@link PipelineRequest}); unknown fields last. */
    private static int fieldOrder(String field) {
        RecordComponent[] fields = PipelineRequest.class.getRecordComponents();
        String base = baseField(field);
        for (int i = 0; i < fields.length; i++) {
            if (fields[i].getName().equals(base)) {
                return i;
            }
        }
        return fields.length;
    }
}
