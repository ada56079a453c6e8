package dev.clicklog.localaws.iam;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One IAM role as IAM keeps it: identity, trust policy, tags and inline policies. Immutable; the
 * service replaces a role with a modified copy. Tags and policies are keyed by lower-cased name
 * because IAM treats those names case-insensitively.
 */
public record Role(String name, String path, String id, String arn, Instant createDate, String assumeRolePolicyDocument,
        String description, int maxSessionDuration, SortedMap<String, Tag> tags, SortedMap<String, InlinePolicy> policies) {

    public record Tag(String key, String value) {
    }

    /** An inline policy, with its document exactly as it was put. */
    public record InlinePolicy(String name, String document) {
    }

    public Role {
        tags = Collections.unmodifiableSortedMap(new TreeMap<>(tags));
        policies = Collections.unmodifiableSortedMap(new TreeMap<>(policies));
    }

    public List<Tag> tagList() {
        return List.copyOf(tags.values());
    }

    Role withAssumeRolePolicy(String document) {
        return new Role(name, path, id, arn, createDate, document, description, maxSessionDuration, tags, policies);
    }

    Role withTags(SortedMap<String, Tag> newTags) {
        return new Role(name, path, id, arn, createDate, assumeRolePolicyDocument, description, maxSessionDuration,
                newTags, policies);
    }

    Role withPolicies(SortedMap<String, InlinePolicy> newPolicies) {
        return new Role(name, path, id, arn, createDate, assumeRolePolicyDocument, description, maxSessionDuration,
                tags, newPolicies);
    }
}
