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
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import dev.clicklog.localaws.LocalAwsConfig;
import dev.clicklog.localaws.iam.Role.InlinePolicy;
import dev.clicklog.localaws.iam.Role.Tag;
import dev.clicklog.localaws.protocol.AwsServiceException;
import dev.clicklog.localaws.storage.Journal;
import dev.clicklog.localaws.storage.JsonCodec;
import dev.clicklog.localaws.storage.Storage;
import io.quarkus.runtime.Startup;

/**
 * IAM roles and users with their inline policies, customer managed policies attached to users, and
 * users' access keys, as IAM keeps them: global
 * (no region), names unique without regard to case, AWS's default quotas. IAM sees little traffic,
 * so one lock guards all; what every request reads (callers, roles) is also kept compiled, read
 * without the lock.
 * Every change goes through the {@code iam} journal, so roles, users, their keys and policies
 * survive restarts.
 */
@ApplicationScoped
@Startup(Storage.REGISTER_PRIORITY)
public class IamService {

    /** AWS's default quotas. */
    static final int MAX_ROLES = 1000;
    static final int MAX_USERS = 5000;
    static final int MAX_ACCESS_KEYS = 2;
    static final int MAX_USER_INLINE_POLICY_SIZE = 2048;
    static final int MAX_MANAGED_POLICY_SIZE = 6144;
    static final int MAX_MANAGED_POLICIES = 1500;
    static final int MAX_ATTACHED_PER_USER = 10;
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

    /** A user with its inline and attached policies compiled, as callers are evaluated without locking. */
    record CompiledUser(User user, List<Policy> policies) {
    }

    /** CreateUser's input, already checked against the API's shape constraints. */
    public record NewUser(String name, String path, List<Tag> tags) {
    }

    private final String accountId;
    private final SecureRandom random = new SecureRandom();
    private final NavigableMap<String, User> users = new TreeMap<>();
    /** The same users, compiled, and the user of each access key: replaced under the lock, read without it. */
    private final Map<String, CompiledUser> compiledUsers = new ConcurrentHashMap<>();
    private final Map<String, User.AccessKey> accessKeys = new ConcurrentHashMap<>();
    /** Managed policies by ARN. */
    private final NavigableMap<String, ManagedPolicy> managed = new TreeMap<>();
    private final NavigableMap<String, Role> roles = new TreeMap<>();
    /** The same roles, compiled; replaced together with {@link #roles} under the lock, read without it. */
    private final Map<String, CompiledRole> compiled = new ConcurrentHashMap<>();
    private final Journal<IamChange> journal;

    IamService(LocalAwsConfig config, Storage storage) {
        this.accountId = config.accountId();
        this.journal = storage.journal(IamChange.STORE, JsonCodec.of(IamChange.class, IamChange.VERSION), this,
                this::apply, out -> {
                    // Policies before the users they are attached to: replay compiles users with them.
                    managed.values().forEach(policy -> out.accept(new IamChange.PolicyPut(policy)));
                    users.values().forEach(user -> out.accept(new IamChange.UserPut(user)));
                    roles.values().forEach(role -> out.accept(new IamChange.RolePut(role)));
                });
    }

    /** The one way IAM's state changes, live and when the journal is replayed. */
    private void apply(IamChange change) {
        if (change instanceof IamChange.RolePut put) {
            Role role = put.role();
            roles.put(key(role.name()), role);
            compiled.put(key(role.name()), CompiledRole.of(role));
        } else if (change instanceof IamChange.RoleDeleted deleted) {
            roles.remove(key(deleted.name()));
            compiled.remove(key(deleted.name()));
        } else if (change instanceof IamChange.UserPut put) {
            User user = put.user();
            User previous = users.put(key(user.name()), user);
            if (previous != null) {
                previous.accessKeys().keySet().forEach(accessKeys::remove);
            }
            accessKeys.putAll(user.accessKeys());
            List<Policy> policies = new ArrayList<>();
            user.policies().values().forEach(p -> policies.add(Policy.parse(p.document())));
            user.attached().forEach(arn -> policies.add(Policy.parse(managed.get(arn).document())));
            compiledUsers.put(key(user.name()), new CompiledUser(user, List.copyOf(policies)));
        } else if (change instanceof IamChange.UserDeleted deleted) {
            User previous = users.remove(key(deleted.name()));
            if (previous != null) {
                previous.accessKeys().keySet().forEach(accessKeys::remove);
            }
            compiledUsers.remove(key(deleted.name()));
        } else if (change instanceof IamChange.PolicyPut put) {
            managed.put(put.policy().arn(), put.policy());
        } else if (change instanceof IamChange.PolicyDeleted deleted) {
            managed.remove(deleted.arn());
        }
    }

    String accountId() {
        return accountId;
    }

    /** The user of this name as it is now, compiled; null when there is none. Lock-free. */
    CompiledUser compiledUser(String name) {
        return compiledUsers.get(key(name));
    }

    /** The access key of this id, whatever its status; null when IAM never issued it (or it was deleted). Lock-free. */
    User.AccessKey accessKey(String id) {
        return id == null ? null : accessKeys.get(id);
    }

    /** The role of this name as it is now; null when there is none. Lock-free. */
    Role roleIfAny(String name) {
        CompiledRole role = name == null ? null : compiled.get(key(name));
        return role == null ? null : role.role();
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
        Role role = new Role(request.name(), path, newId("AROA"), "arn:aws:iam::" + accountId + ":role" + path + request.name(),
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
        journal.record(new IamChange.RoleDeleted(role.name()));
    }

    private void store(Role role) {
        journal.record(new IamChange.RolePut(role));
    }

    public synchronized void updateAssumeRolePolicy(String roleName, String document) {
        Role role = getRole(roleName);
        checkTrustPolicy(document);
        store(role.withAssumeRolePolicy(document));
    }

    public synchronized void putRolePolicy(String roleName, String policyName, String document) {
        Role role = getRole(roleName);
        store(role.withPolicies(withPolicy(role.policies(), policyName, document, MAX_INLINE_POLICY_SIZE,
                "role " + role.name())));
    }

    /** The policies with this one put (replacing one of the same name), within the entity's size quota. */
    private static TreeMap<String, InlinePolicy> withPolicy(SortedMap<String, InlinePolicy> current, String policyName,
            String document, int quota, String entity) {
        PolicyDocuments.validate(document, PolicyDocuments.Kind.IDENTITY);
        TreeMap<String, InlinePolicy> policies = new TreeMap<>(current);
        InlinePolicy previous = policies.get(key(policyName));
        // Replacing a policy keeps the name it was first put with, as IAM does.
        policies.put(key(policyName), new InlinePolicy(previous == null ? policyName : previous.name(), document));
        int total = policies.values().stream().mapToInt(p -> PolicyDocuments.quotaSize(p.document())).sum();
        if (total > quota) {
            throw limitExceeded("Maximum policy size of " + quota + " bytes exceeded for " + entity);
        }
        return policies;
    }

    public synchronized RolePolicy getRolePolicy(String roleName, String policyName) {
        Role role = getRole(roleName);
        InlinePolicy policy = policy(role.policies(), policyName, "role");
        return new RolePolicy(role.name(), policy.name(), policy.document());
    }

    public synchronized Page<String> listRolePolicies(String roleName, String marker, int maxItems) {
        return policyNames(getRole(roleName).policies(), marker, maxItems);
    }

    public synchronized void deleteRolePolicy(String roleName, String policyName) {
        Role role = getRole(roleName);
        store(role.withPolicies(withoutPolicy(role.policies(), policyName, "role")));
    }

    private static InlinePolicy policy(SortedMap<String, InlinePolicy> policies, String policyName, String entityType) {
        InlinePolicy policy = policies.get(key(policyName));
        if (policy == null) {
            throw noSuchPolicy(entityType, policyName);
        }
        return policy;
    }

    private static Page<String> policyNames(SortedMap<String, InlinePolicy> policies, String marker, int maxItems) {
        return page(policies.values().stream().map(InlinePolicy::name).toList(), IamService::key, marker, maxItems);
    }

    private static TreeMap<String, InlinePolicy> withoutPolicy(SortedMap<String, InlinePolicy> current, String policyName,
            String entityType) {
        policy(current, policyName, entityType);
        TreeMap<String, InlinePolicy> policies = new TreeMap<>(current);
        policies.remove(key(policyName));
        return policies;
    }

    public synchronized User createUser(NewUser request) {
        if (users.containsKey(key(request.name()))) {
            throw new AwsServiceException(409, "EntityAlreadyExists", "User with name " + request.name() + " already exists.");
        }
        SortedMap<String, Tag> tags = mergeTags(new TreeMap<>(), request.tags());
        if (users.size() >= MAX_USERS) {
            throw limitExceeded("Cannot exceed quota for UsersPerAccount: " + MAX_USERS + ".");
        }
        String path = request.path() == null ? "/" : request.path();
        User user = new User(request.name(), path, newId("AIDA"), "arn:aws:iam::" + accountId + ":user" + path + request.name(),
                Instant.now().truncatedTo(ChronoUnit.SECONDS), tags, new TreeMap<>(), new TreeMap<>(), new TreeSet<>());
        store(user);
        return user;
    }

    public synchronized User getUser(String name) {
        User user = users.get(key(name));
        if (user == null) {
            throw new AwsServiceException(404, "NoSuchEntity", "The user with name " + name + " cannot be found.");
        }
        return user;
    }

    /** Users whose path starts with the prefix, ordered by name. */
    public synchronized Page<User> listUsers(String pathPrefix, String marker, int maxItems) {
        String prefix = pathPrefix == null ? "/" : pathPrefix;
        List<User> matching = users.values().stream().filter(u -> u.path().startsWith(prefix)).toList();
        return page(matching, u -> key(u.name()), marker, maxItems);
    }

    public synchronized void deleteUser(String name) {
        User user = getUser(name);
        if (!user.accessKeys().isEmpty()) {
            throw new AwsServiceException(409, "DeleteConflict", "Cannot delete entity, must delete access keys first.");
        }
        if (!user.policies().isEmpty()) {
            throw new AwsServiceException(409, "DeleteConflict", "Cannot delete entity, must delete policies first.");
        }
        if (!user.attached().isEmpty()) {
            throw new AwsServiceException(409, "DeleteConflict", "Cannot delete entity, must detach all policies first.");
        }
        journal.record(new IamChange.UserDeleted(user.name()));
    }

    public synchronized void putUserPolicy(String userName, String policyName, String document) {
        User user = getUser(userName);
        store(user.withPolicies(withPolicy(user.policies(), policyName, document, MAX_USER_INLINE_POLICY_SIZE,
                "user " + user.name())));
    }

    public synchronized RolePolicy getUserPolicy(String userName, String policyName) {
        User user = getUser(userName);
        InlinePolicy policy = policy(user.policies(), policyName, "user");
        return new RolePolicy(user.name(), policy.name(), policy.document());
    }

    public synchronized Page<String> listUserPolicies(String userName, String marker, int maxItems) {
        return policyNames(getUser(userName).policies(), marker, maxItems);
    }

    public synchronized void deleteUserPolicy(String userName, String policyName) {
        User user = getUser(userName);
        store(user.withPolicies(withoutPolicy(user.policies(), policyName, "user")));
    }

    /** A new active access key of the user; its secret is answered this once. */
    public synchronized User.AccessKey createAccessKey(String userName) {
        User user = getUser(userName);
        if (user.accessKeys().size() >= MAX_ACCESS_KEYS) {
            throw limitExceeded("Cannot exceed quota for AccessKeysPerUser: " + MAX_ACCESS_KEYS);
        }
        byte[] secret = new byte[30];
        random.nextBytes(secret);
        User.AccessKey key = new User.AccessKey(user.name(), newId("AKIA").substring(0, 20),
                Base64.getEncoder().encodeToString(secret).substring(0, 40), "Active",
                Instant.now().truncatedTo(ChronoUnit.SECONDS));
        TreeMap<String, User.AccessKey> keys = new TreeMap<>(user.accessKeys());
        keys.put(key.id(), key);
        store(user.withAccessKeys(keys));
        return key;
    }

    public synchronized Page<User.AccessKey> listAccessKeys(String userName, String marker, int maxItems) {
        return page(List.copyOf(getUser(userName).accessKeys().values()), User.AccessKey::id, marker, maxItems);
    }

    public synchronized void deleteAccessKey(String userName, String accessKeyId) {
        User user = getUser(userName);
        if (!user.accessKeys().containsKey(accessKeyId)) {
            throw new AwsServiceException(404, "NoSuchEntity", "The Access Key with id " + accessKeyId + " cannot be found.");
        }
        TreeMap<String, User.AccessKey> keys = new TreeMap<>(user.accessKeys());
        keys.remove(accessKeyId);
        store(user.withAccessKeys(keys));
    }

    private void store(User user) {
        journal.record(new IamChange.UserPut(user));
    }

    private void store(ManagedPolicy policy) {
        journal.record(new IamChange.PolicyPut(policy));
    }

    /** CreatePolicy: a customer managed policy, its document as version v1. */
    public synchronized ManagedPolicy createPolicy(String name, String path, String description, String document) {
        String p = path == null ? "/" : path;
        String arn = "arn:aws:iam::" + accountId + ":policy" + p + name;
        if (managed.values().stream().anyMatch(m -> m.name().equalsIgnoreCase(name) && m.path().equals(p))) {
            throw new AwsServiceException(409, "EntityAlreadyExists", "A policy called " + name + " already exists. "
                    + "Duplicate names are not allowed.");
        }
        PolicyDocuments.validate(document, PolicyDocuments.Kind.IDENTITY);
        if (PolicyDocuments.quotaSize(document) > MAX_MANAGED_POLICY_SIZE) {
            throw limitExceeded("Cannot exceed quota for PolicySize: " + MAX_MANAGED_POLICY_SIZE);
        }
        if (managed.size() >= MAX_MANAGED_POLICIES) {
            throw limitExceeded("Cannot exceed quota for PoliciesPerAccount: " + MAX_MANAGED_POLICIES);
        }
        ManagedPolicy policy = new ManagedPolicy(name, p, newId("ANPA"), arn, description, document,
                Instant.now().truncatedTo(ChronoUnit.SECONDS), 0);
        store(policy);
        return policy;
    }

    public synchronized ManagedPolicy getPolicy(String arn) {
        ManagedPolicy policy = managed.get(arn);
        if (policy == null) {
            throw new AwsServiceException(404, "NoSuchEntity", "Policy " + arn + " does not exist or is not attachable.");
        }
        return policy;
    }

    public synchronized void deletePolicy(String arn) {
        if (getPolicy(arn).attachmentCount() > 0) {
            throw new AwsServiceException(409, "DeleteConflict", "Cannot delete a policy attached to entities.");
        }
        journal.record(new IamChange.PolicyDeleted(arn));
    }

    public synchronized void attachUserPolicy(String userName, String arn) {
        User user = getUser(userName);
        ManagedPolicy policy = getPolicy(arn);
        if (user.attached().contains(arn)) {
            return;
        }
        if (user.attached().size() >= MAX_ATTACHED_PER_USER) {
            throw limitExceeded("Cannot exceed quota for PoliciesPerUser: " + MAX_ATTACHED_PER_USER);
        }
        TreeSet<String> attached = new TreeSet<>(user.attached());
        attached.add(arn);
        store(policy.withAttachments(policy.attachmentCount() + 1));
        store(user.withAttached(attached));
    }

    public synchronized void detachUserPolicy(String userName, String arn) {
        User user = getUser(userName);
        if (!user.attached().contains(arn)) {
            throw new AwsServiceException(404, "NoSuchEntity", "Policy " + arn + " was not found.");
        }
        TreeSet<String> attached = new TreeSet<>(user.attached());
        attached.remove(arn);
        ManagedPolicy policy = managed.get(arn);
        store(policy.withAttachments(policy.attachmentCount() - 1));
        store(user.withAttached(attached));
    }

    /** The managed policies attached to the user, in ARN order. */
    public synchronized Page<ManagedPolicy> listAttachedUserPolicies(String userName, String marker, int maxItems) {
        List<ManagedPolicy> attached = getUser(userName).attached().stream().map(managed::get).toList();
        return page(attached, ManagedPolicy::arn, marker, maxItems);
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

    /** An IAM unique id: its kind's prefix (AROA role, AIDA user, AKIA access key), then 17 characters. */
    private String newId(String prefix) {
        StringBuilder id = new StringBuilder(prefix);
        while (id.length() < 21) {
            id.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
        }
        return id.toString();
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private static AwsServiceException noSuchPolicy(String entityType, String policyName) {
        return new AwsServiceException(404, "NoSuchEntity",
                "The " + entityType + " policy with name " + policyName + " cannot be found.");
    }

    private static AwsServiceException limitExceeded(String message) {
        return new AwsServiceException(409, "LimitExceeded", message);
    }
}
