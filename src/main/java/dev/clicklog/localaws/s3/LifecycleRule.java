package dev.clicklog.localaws.s3;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.clicklog.localaws.http.UriEncoding;
import dev.clicklog.localaws.protocol.RestXmlProtocol;
import dev.clicklog.localaws.protocol.XmlReader.Element;

/**
 * One enabled lifecycle rule, read from the {@code <Rule>} document PutBucketLifecycleConfiguration
 * stored: which objects it applies to and when it expires, transitions or aborts them. Versioning is
 * never enabled in localaws, so the noncurrent-version actions have nothing to act on.
 *
 * @param expiration when a matching object expires, if the rule expires objects
 * @param transitions storage-class changes, in the rule's order
 * @param abortUploadsAfterDays incomplete multipart uploads are aborted this many days after they began
 */
record LifecycleRule(String id, Filter filter, Optional<When> expiration, List<Transition> transitions,
        Optional<Integer> abortUploadsAfterDays) {

    /** A point in an object's life: a number of days after it was written, or a fixed date. */
    record When(Integer days, Instant date) {

        /**
         * When an object written at {@code written} reaches this point. As S3 does, days are added to
         * the write time and the result is rounded up to the next midnight UTC.
         */
        Instant at(Instant written, Duration day) {
            if (date != null) {
                return date;
            }
            long dayMillis = day.toMillis();
            long due = written.toEpochMilli() + days * dayMillis;
            long rounded = Math.floorDiv(due + dayMillis - 1, dayMillis) * dayMillis;
            return Instant.ofEpochMilli(rounded);
        }
    }

    record Transition(When when, String storageClass) {
    }

    /** When an object expires and by which rule: what S3 announces in {@code x-amz-expiration}. */
    record Expiry(Instant at, String ruleId) {

        /** {@code expiry-date="Fri, 23 Dec 2012 00:00:00 GMT", rule-id="picture-deletion-rule"}; the id URL-encoded. */
        String header() {
            return "expiry-date=\"" + RestXmlProtocol.httpDate(at) + "\", rule-id=\""
                    + UriEncoding.encode(ruleId == null ? "" : ruleId, false) + "\"";
        }
    }

    /** A day of lifecycle time: S3 counts rule days in days of 24 hours from midnight UTC. */
    static final Duration DAY = Duration.ofDays(1);

    /** The earliest expiration of {@code object} among {@code rules}; empty when no rule expires it. */
    static Optional<Expiry> expiry(List<LifecycleRule> rules, S3Object object) {
        Expiry earliest = null;
        for (LifecycleRule rule : rules) {
            if (rule.expiration().isPresent() && rule.filter().matches(object)) {
                Instant at = rule.expiration().get().at(object.lastModified(), DAY);
                if (earliest == null || at.isBefore(earliest.at())) {
                    earliest = new Expiry(at, rule.id());
                }
            }
        }
        return Optional.ofNullable(earliest);
    }

    /** Which objects a rule applies to: a key prefix, tags, and size bounds, all of which must hold. */
    record Filter(String prefix, Map<String, String> tags, Long sizeGreaterThan, Long sizeLessThan) {

        boolean matches(S3Object object) {
            if (!object.key().startsWith(prefix)) {
                return false;
            }
            // localaws keeps no object tags, so a rule filtering on tags matches no object.
            if (!tags.isEmpty()) {
                return false;
            }
            if (sizeGreaterThan != null && object.size() <= sizeGreaterThan) {
                return false;
            }
            return sizeLessThan == null || object.size() < sizeLessThan;
        }
    }

    /** The enabled rules of a stored configuration; disabled ones and ones it cannot read are left out. */
    static List<LifecycleRule> enabled(List<Element> rules) {
        List<LifecycleRule> out = new ArrayList<>();
        if (rules == null) {
            return out;
        }
        for (Element rule : rules) {
            if (!"Enabled".equals(trim(rule.childText("Status")))) {
                continue;
            }
            try {
                out.add(read(rule));
            } catch (IllegalArgumentException | DateTimeParseException e) {
                // PutBucketLifecycleConfiguration validated the document; a value beyond that is ignored.
            }
        }
        return out;
    }

    private static LifecycleRule read(Element rule) {
        Element expiration = rule.child("Expiration");
        Optional<When> expires = expiration == null || (expiration.child("Days") == null && expiration.child("Date") == null)
                ? Optional.empty()
                : Optional.of(when(expiration));
        List<Transition> transitions = new ArrayList<>();
        for (Element t : rule.children("Transition")) {
            transitions.add(new Transition(when(t), trim(t.childText("StorageClass"))));
        }
        Element abort = rule.child("AbortIncompleteMultipartUpload");
        Optional<Integer> abortDays = abort == null || abort.childText("DaysAfterInitiation") == null
                ? Optional.empty()
                : Optional.of(Integer.parseInt(trim(abort.childText("DaysAfterInitiation"))));
        return new LifecycleRule(rule.childText("ID"), filter(rule), expires, List.copyOf(transitions), abortDays);
    }

    static When when(Element action) {
        String days = action.childText("Days");
        if (days != null) {
            return new When(Integer.parseInt(trim(days)), null);
        }
        return new When(null, OffsetDateTime.parse(trim(action.childText("Date"))).toInstant());
    }

    private static Filter filter(Element rule) {
        String legacyPrefix = rule.childText("Prefix");
        Element filter = rule.child("Filter");
        if (filter == null) {
            return new Filter(legacyPrefix == null ? "" : legacyPrefix, Map.of(), null, null);
        }
        Element and = filter.child("And");
        Element scope = and != null ? and : filter;
        Map<String, String> tags = new LinkedHashMap<>();
        for (Element tag : scope.children("Tag")) {
            tags.put(tag.childText("Key"), tag.childText("Value"));
        }
        String prefix = scope.childText("Prefix");
        return new Filter(prefix == null ? "" : prefix, Map.copyOf(tags), size(scope.childText("ObjectSizeGreaterThan")),
                size(scope.childText("ObjectSizeLessThan")));
    }

    private static Long size(String value) {
        return value == null ? null : Long.parseLong(trim(value));
    }

    private static String trim(String s) {
        return s == null ? null : s.trim();
    }
}
