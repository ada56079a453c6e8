package dev.clicklog.localaws.iam;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import dev.clicklog.localaws.iam.Role.InlinePolicy;
import dev.clicklog.localaws.iam.Role.Tag;

/**
 * One IAM user as IAM keeps it: identity, tags, inline and attached managed policies, access keys. Immutable; the
 * service replaces a user with a modified copy. Tags and policies are keyed by lower-cased name,
 * access keys by their id.
 */
public record User(String name, String path, String id, String arn, Instant createDate, SortedMap<String, Tag> tags,
        SortedMap<String, InlinePolicy> policies, SortedMap<String, AccessKey> accessKeys, SortedSet<String> attached) {

    /** An access key: its secret is shown once, when it is created, and kept to verify signatures. */
    public record AccessKey(String userName, String id, String secret, String status, Instant createDate) {

        boolean active() {
            return "Active".equals(status);
        }
    }

    public User {
        tags = Collections.unmodifiableSortedMap(new TreeMap<>(tags));
        policies = Collections.unmodifiableSortedMap(new TreeMap<>(policies));
        accessKeys = Collections.unmodifiableSortedMap(new TreeMap<>(accessKeys));
        attached = Collections.unmodifiableSortedSet(new TreeSet<>(attached));
    }

    public List<Tag> tagList() {
        return List.copyOf(tags.values());
    }

    User withPolicies(SortedMap<String, InlinePolicy> newPolicies) {
        return new User(name, path, id, arn, createDate, tags, newPolicies, accessKeys, attached);
    }

    User withAccessKeys(SortedMap<String, AccessKey> newKeys) {
        return new User(name, path, id, arn, createDate, tags, policies, newKeys, attached);
    }

    /** The same user with these managed policies (ARNs) attached. */
    User withAttached(SortedSet<String> policyArns) {
        return new User(name, path, id, arn, createDate, tags, policies, accessKeys, policyArns);
    }
}
