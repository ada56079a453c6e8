package dev.clicklog.localaws.iam;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import dev.clicklog.localaws.LocalAwsConfig;
import dev.clicklog.localaws.iam.Role.InlinePolicy;
import dev.clicklog.localaws.iam.Role.Tag;
import dev.clicklog.localaws.protocol.AwsServiceException;

/**
 * IAM roles and their inline policies, as IAM keeps them: global (no region), names unique
 * without regard to case, AWS's default quotas. IAM sees little traffic, so one lock guards all.
 */
@ApplicationScoped
public class IamService {

    /** AWS's default quotas. */
    static final int MAX_ROLES = 1000;
    static final int MAX_TAGS = 50;
    static final int MAX_INLINE_POLICY_SIZE = 10_240;
    static final int MAX_TRUST_POLICY_SIZE = 2048;

    private static final String ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    /** One page of a listing and the marker of the next, null on the last page. */
    public record Page<T>(List<T> items, String nextMarker) {
        public boolean truncated() {
            return nextMarker != null;
        }
    }

    /** An inline policy and the role it belongs to, names as they were first given. */
    public record RolePolicy(String roleName, String policyName, String document) {
    }

    /** CreateRole's input, already checked against the API's shape constraints. */
    public record NewRole(String name, String path, String assumeRolePolicyDocument, String description,
            Integer maxSessionDuration, List<Tag> tags) {
    }

    /** A role with its policies compiled, as the services that assume it read it without locking. */
    record CompiledRole(Role role, Policy trust, List<Policy> policies) {

        static CompiledRole of(Role role) {
            return new CompiledRole(role, Policy.parse(role.assumeRolePolicyDocument()),
                    role.policies().values().stream().map(p -> Policy.parse(p.document())).toList());
        }
    }

    private final String accountId;
    private final SecureRandom random = new SecureRandom();
    private final NavigableMap<String, Role> roles = new TreeMap<>();
    /** The same roles, compiled; replaced together with {@link #roles} under the lock, read without it. */
    private final Map<String, CompiledRole> compiled = new ConcurrentHashMap<>();

    IamService(LocalAwsConfig config) {
        this.accountId = config.accountId();
    }

    String accountId() {
        return accountId;
    }

    /** The role of this name as it is now, compiled; null when there is none. Lock-free. */
    CompiledRole compiledRole(String name) {
        return compiled.get(key(name));
    }

    public synchronized Role createRole(NewRole request) {
        String key = key(request.name());
        if (roles.containsKey(key)) {
            throw new AwsServiceException(409, "EntityAlreadyExists", "Role with name " + request.name() + " already exists.");
        }
        checkTrustPolicy(request.assumeRolePolicyDocument());
        SortedMap<String, Tag> tags = mergeTags(new TreeMap<>(), request.tags());
        if (roles.size() >= MAX_ROLES) {
            throw limitExceeded("Cannot exceed quota for RolesPerAccount: " + MAX_ROLES + ".");
        }
        String path = request.path() == null ? "/" : request.path();
        Role role = new Role(request.name(), path, newRoleId(), "arn:aws:iam::" + accountId + ":role" + path + request.name(),
                Instant.now().truncatedTo(ChronoUnit.SECONDS), request.assumeRolePolicyDocument(), request.description(),
                request.maxSessionDuration() == null ? 3600 : request.maxSessionDuration(), tags, new TreeMap<>());
        store(role);
        return role;
    }

    public synchronized Role getRole(String name) {
        Role role = roles.get(key(name));
        if (role == null) {
            throw new AwsServiceException(404, "NoSuchEntity", "The role with name " + name + " cannot be found.");
        }
        return role;
    }

    /** Roles whose path starts with the prefix, ordered by name. */
    public synchronized Page<Role> listRoles(String pathPrefix, String marker, int maxItems) {
        String prefix = pathPrefix == null ? "/" : pathPrefix;
        List<Role> matching = roles.values().stream().filter(r -> r.path().startsWith(prefix)).toList();
        return page(matching, r -> key(r.name()), marker, maxItems);
    }

    public synchronized void deleteRole(String name) {
        Role role = getRole(name);
        if (!role.policies().isEmpty()) {
            throw new AwsServiceException(409, "DeleteConflict", "Cannot delete entity, must delete policies first.");
        }
        roles.remove(key(name));
        compiled.remove(key(name));
    }

    private void store(Role role) {
        roles.put(key(role.name()), role);
        compiled.put(key(role.name()), CompiledRole.of(role));
    }

    public synchronized void updateAssumeRolePolicy(String roleName, String document) {
        Role role = getRole(roleName);
        checkTrustPolicy(document);
        store(role.withAssumeRolePolicy(document));
    }

    public synchronized void putRolePolicy(String roleName, String policyName, String document) {
        Role role = getRole(roleName);
        PolicyDocuments.validate(document, PolicyDocuments.Kind.IDENTITY);
        TreeMap<String, InlinePolicy> policies = new TreeMap<>(role.policies());
        InlinePolicy previous = policies.get(key(policyName));
        // Replacing a policy keeps the name it was first put with, as IAM does.
        policies.put(key(policyName), new InlinePolicy(previous == null ? policyName : previous.name(), document));
        int total = policies.values().stream().mapToInt(p -> PolicyDocuments.quotaSize(p.document())).sum();
        if (total > MAX_INLINE_POLICY_SIZE) {
            throw limitExceeded("Maximum policy size of " + MAX_INLINE_POLICY_SIZE + " bytes exceeded for role " + role.name());
        }
        store(role.withPolicies(policies));
    }

    public synchronized RolePolicy getRolePolicy(String roleName, String policyName) {
        Role role = getRole(roleName);
        InlinePolicy policy = role.policies().get(key(policyName));
        if (policy == null) {
            throw noSuchPolicy(policyName);
        }
        return new RolePolicy(role.name(), policy.name(), policy.document());
    }

    public synchronized Page<String> listRolePolicies(String roleName, String marker, int maxItems) {
        List<String> names = getRole(roleName).policies().values().stream().map(InlinePolicy::name).toList();
        return page(names, IamService::key, marker, maxItems);
    }

    public synchronized void deleteRolePolicy(String roleName, String policyName) {
        Role role = getRole(roleName);
        if (!role.policies().containsKey(key(policyName))) {
            throw noSuchPolicy(policyName);
        }
        TreeMap<String, InlinePolicy> policies = new TreeMap<>(role.policies());
        policies.remove(key(policyName));
        store(role.withPolicies(policies));
    }

    /** Adds tags; a key already present (in any case) gets the new value. */
    public synchronized void tagRole(String roleName, List<Tag> tags) {
        Role role = getRole(roleName);
        store(role.withTags(mergeTags(new TreeMap<>(role.tags()), tags)));
    }

    /** Removes the tags with these keys; keys that are not present are ignored, as IAM does. */
    public synchronized void untagRole(String roleName, List<String> keys) {
        Role role = getRole(roleName);
        TreeMap<String, Tag> tags = new TreeMap<>(role.tags());
        keys.forEach(k -> tags.remove(key(k)));
        store(role.withTags(tags));
    }

    public synchronized Page<Tag> listRoleTags(String roleName, String marker, int maxItems) {
        return page(getRole(roleName).tagList(), t -> key(t.key()), marker, maxItems);
    }

    private void checkTrustPolicy(String document) {
        PolicyDocuments.validate(document, PolicyDocuments.Kind.TRUST);
        if (PolicyDocuments.quotaSize(document) > MAX_TRUST_POLICY_SIZE) {
            throw limitExceeded("Cannot exceed quota for ACLSizePerRole: " + MAX_TRUST_POLICY_SIZE);
        }
    }

    private static SortedMap<String, Tag> mergeTags(SortedMap<String, Tag> into, List<Tag> tags) {
        Map<String, Tag> incoming = new TreeMap<>();
        for (Tag tag : tags) {
            if (incoming.put(key(tag.key()), tag) != null) {
                throw AwsServiceException.badRequest("InvalidInput",
                        "Duplicate tag keys found. Please note that Tag keys are case insensitive.");
            }
        }
        into.putAll(incoming);
        if (into.size() > MAX_TAGS) {
            throw limitExceeded("The number of tags has reached the maximum limit.");
        }
        return into;
    }

    /** The items after the marker's item, at most maxItems of them; markers are opaque to callers. */
    private static <T> Page<T> page(List<T> sorted, Function<T, String> sortKey, String marker, int maxItems) {
        String after = marker == null ? null : decodeMarker(marker);
        List<T> items = new ArrayList<>();
        String last = null;
        for (T item : sorted) {
            String k = sortKey.apply(item);
            if (after != null && k.compareTo(after) <= 0) {
                continue;
            }
            if (items.size() == maxItems) {
                return new Page<>(items, encodeMarker(last));
            }
            items.add(item);
            last = k;
        }
        return new Page<>(items, null);
    }

    private static String encodeMarker(String key) {
        return Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeMarker(String marker) {
        try {
            return new String(Base64.getDecoder().decode(marker), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw AwsServiceException.badRequest("ValidationError", "Invalid Marker: " + marker);
        }
    }

    private String newRoleId() {
        StringBuilder id = new StringBuilder("AROA");
        while (id.length() < 21) {
            id.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
        }
        return id.toString();
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private static AwsServiceException noSuchPolicy(String policyName) {
        return new AwsServiceException(404, "NoSuchEntity",
                "The role policy with name " + policyName + " cannot be found.");
    }

    private static AwsServiceException limitExceeded(String message) {
        return new AwsServiceException(409, "LimitExceeded", message);
    }
}
