package dev.clicklog.localaws.iam;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;

import dev.clicklog.localaws.http.AwsRequest;
import dev.clicklog.localaws.http.AwsResponse;
import dev.clicklog.localaws.http.CallerErrors;
import dev.clicklog.localaws.http.RouteTable;
import dev.clicklog.localaws.http.ServiceHandler;
import dev.clicklog.localaws.http.UriEncoding;
import dev.clicklog.localaws.iam.Callers.Caller;
import dev.clicklog.localaws.iam.IamService.Page;
import dev.clicklog.localaws.iam.Role.Tag;
import dev.clicklog.localaws.protocol.AwsServiceException;
import dev.clicklog.localaws.protocol.QueryProtocol;
import dev.clicklog.localaws.protocol.XmlWriter;

/**
 * IAM over the query protocol (Version 2010-05-08). Serves roles, their tags and their inline
 * policies, users with their inline policies, attached managed policies and access keys, and
 * customer managed policies (one version each) (the actions of its route table);
 * policy documents are answered URL-encoded, as IAM does (the AWS CLI decodes them, SDK callers
 * must). Refuses every other action — groups, managed policies, instance profiles, … — with
 * InvalidAction, as IAM answers an action it does not know.
 */
@ApplicationScoped
public class IamHandler implements ServiceHandler {

    static final String VERSION = "2010-05-08";
    static final String XMLNS = "https://iam.amazonaws.com/doc/2010-05-08/";

    /** One action: the request's parameters in, the wire response out. */
    private interface Action {
        AwsResponse handle(AwsRequest request, IamInput in);
    }

    private final IamService iam;
    private final Callers callers;
    private final RouteTable<Action> routes = new RouteTable<Action>()
            .serve("CreateRole", this::createRole)
            .serve("GetRole", this::getRole)
            .serve("ListRoles", this::listRoles)
            .serve("DeleteRole", this::deleteRole)
            .serve("UpdateAssumeRolePolicy", this::updateAssumeRolePolicy)
            .serve("PutRolePolicy", this::putRolePolicy)
            .serve("GetRolePolicy", this::getRolePolicy)
            .serve("ListRolePolicies", this::listRolePolicies)
            .serve("DeleteRolePolicy", this::deleteRolePolicy)
            .serve("TagRole", this::tagRole)
            .serve("UntagRole", this::untagRole)
            .serve("ListRoleTags", this::listRoleTags)
            .serve("CreateUser", this::createUser)
            .serve("GetUser", this::getUser)
            .serve("ListUsers", this::listUsers)
            .serve("DeleteUser", this::deleteUser)
            .serve("PutUserPolicy", this::putUserPolicy)
            .serve("GetUserPolicy", this::getUserPolicy)
            .serve("ListUserPolicies", this::listUserPolicies)
            .serve("DeleteUserPolicy", this::deleteUserPolicy)
            .serve("CreateAccessKey", this::createAccessKey)
            .serve("ListAccessKeys", this::listAccessKeys)
            .serve("DeleteAccessKey", this::deleteAccessKey)
            .serve("CreatePolicy", this::createPolicy)
            .serve("GetPolicy", this::getPolicy)
            .serve("DeletePolicy", this::deletePolicy)
            .serve("AttachUserPolicy", this::attachUserPolicy)
            .serve("DetachUserPolicy", this::detachUserPolicy)
            .serve("ListAttachedUserPolicies", this::listAttachedUserPolicies);

    IamHandler(IamService iam, Callers callers) {
        this.iam = iam;
        this.callers = callers;
    }

    @Override
    public Route route() {
        return Route.signingName("iam").withQueryVersion(VERSION);
    }

    @Override
    public AwsResponse handle(AwsRequest request) {
        IamInput in = new IamInput(QueryProtocol.params(request));
        String action = in.action();
        if (action == null) {
            throw AwsServiceException.badRequest("MissingAction", "Missing Action");
        }
        Action handler = routes.handler(action);
        if (handler == null) {
            throw QueryProtocol.invalidAction(action, VERSION);
        }
        return handler.handle(request, in);
    }

    @Override
    public List<Operation> operations() {
        return routes.operations();
    }

    /**
     * {@code iam:<action>} on the role or user the request names (a user action without a name is
     * about the caller's own user), with the role's tags and the tags the request sets; creating a
     * role or a user with tags also needs iam:TagRole or iam:TagUser, as on AWS.
     */
    @Override
    public List<Access> access(AwsRequest request) {
        Map<String, String> params = QueryProtocol.params(request);
        String action = params.get("Action");
        if (action == null) {
            return List.of();
        }
        String path = params.get("Path") == null ? "/" : params.get("Path");
        String resource = "*";
        Map<String, String> resourceTags = Map.of();
        String roleName = params.get("RoleName");
        String userName = params.get("UserName");
        if (roleName != null) {
            Role role = iam.roleIfAny(roleName);
            resource = role != null ? role.arn() : "arn:aws:iam::" + iam.accountId() + ":role" + path + roleName;
            resourceTags = role == null ? Map.of() : tagMap(role.tagList());
        } else if (userName != null) {
            IamService.CompiledUser user = iam.compiledUser(userName);
            resource = user != null ? user.user().arn() : "arn:aws:iam::" + iam.accountId() + ":user" + path + userName;
            resourceTags = user == null ? Map.of() : tagMap(user.user().tagList());
        } else if (params.get("PolicyArn") != null) {
            resource = params.get("PolicyArn");
        } else if (action.equals("CreatePolicy")) {
            resource = "arn:aws:iam::" + iam.accountId() + ":policy" + path + params.get("PolicyName");
        } else if (action.equals("GetUser") || action.contains("AccessKey")) {
            resource = callers.caller(request).arn();
        }
        Map<String, String> tags = new LinkedHashMap<>();
        QueryProtocol.structList(params, "Tags").forEach(t -> tags.put(t.get("Key"), t.get("Value")));
        Access access = Access.of("iam:" + action, resource).resourceTags(resourceTags).requestTags(tags)
                .tagKeys(QueryProtocol.list(params, "TagKeys"));
        if (!tags.isEmpty() && (action.equals("CreateRole") || action.equals("CreateUser"))) {
            String tagAction = action.equals("CreateRole") ? "iam:TagRole" : "iam:TagUser";
            return List.of(access, Access.of(tagAction, resource).requestTags(tags));
        }
        return List.of(access);
    }

    @Override
    public CallerErrors callerErrors() {
        return CallerErrors.QUERY;
    }

    private static Map<String, String> tagMap(List<Tag> tags) {
        Map<String, String> map = new LinkedHashMap<>();
        tags.forEach(t -> map.put(t.key(), t.value()));
        return map;
    }

    @Override
    public AwsResponse error(AwsRequest request, AwsServiceException error) {
        return QueryProtocol.error(request, XMLNS, error);
    }

    private AwsResponse createRole(AwsRequest request, IamInput in) {
        String name = in.roleName();
        String path = in.string("Path", false, 1, 512, IamInput.PATH);
        String document = in.policyDocument("AssumeRolePolicyDocument");
        String description = in.string("Description", false, 0, 1000, IamInput.DESCRIPTION);
        Integer maxSession = in.integer("MaxSessionDuration", 3600, 43_200);
        List<Tag> tags = in.tags(false);
        in.validate();
        Role role = iam.createRole(new IamService.NewRole(name, path, document, description, maxSession, tags));
        return result(request, "CreateRole", xml -> role(xml, "Role", role, true));
    }

    private AwsResponse listRoles(AwsRequest request, IamInput in) {
        String prefix = in.string("PathPrefix", false, 1, 512, IamInput.PATH_PREFIX);
        String marker = in.marker();
        int maxItems = in.maxItems();
        in.validate();
        Page<Role> page = iam.listRoles(prefix, marker, maxItems);
        return result(request, "ListRoles", xml -> {
            xml.start("Roles");
            page.items().forEach(r -> role(xml, "member", r, false));
            xml.end();
            pageEnd(xml, page);
        });
    }

    private AwsResponse getRole(AwsRequest request, IamInput in) {
        String name = in.roleName();
        in.validate();
        Role role = iam.getRole(name);
        return result(request, "GetRole", xml -> role(xml, "Role", role, true));
    }

    private AwsResponse deleteRole(AwsRequest request, IamInput in) {
        String name = in.roleName();
        in.validate();
        iam.deleteRole(name);
        return result(request, "DeleteRole", null);
    }

    private AwsResponse updateAssumeRolePolicy(AwsRequest request, IamInput in) {
        String name = in.roleName();
        String document = in.policyDocument("PolicyDocument");
        in.validate();
        iam.updateAssumeRolePolicy(name, document);
        return result(request, "UpdateAssumeRolePolicy", null);
    }

    private AwsResponse putRolePolicy(AwsRequest request, IamInput in) {
        String name = in.roleName();
        String policyName = in.policyName();
        String document = in.policyDocument("PolicyDocument");
        in.validate();
        iam.putRolePolicy(name, policyName, document);
        return result(request, "PutRolePolicy", null);
    }

    private AwsResponse getRolePolicy(AwsRequest request, IamInput in) {
        String name = in.roleName();
        String policyName = in.policyName();
        in.validate();
        IamService.RolePolicy policy = iam.getRolePolicy(name, policyName);
        return result(request, "GetRolePolicy", xml -> xml
                .element("RoleName", policy.roleName())
                .element("PolicyName", policy.policyName())
                .element("PolicyDocument", urlEncode(policy.document())));
    }

    private AwsResponse listRolePolicies(AwsRequest request, IamInput in) {
        String name = in.roleName();
        String marker = in.marker();
        int maxItems = in.maxItems();
        in.validate();
        Page<String> page = iam.listRolePolicies(name, marker, maxItems);
        return result(request, "ListRolePolicies", xml -> {
            xml.start("PolicyNames");
            page.items().forEach(p -> xml.element("member", p));
            xml.end();
            pageEnd(xml, page);
        });
    }

    private AwsResponse deleteRolePolicy(AwsRequest request, IamInput in) {
        String name = in.roleName();
        String policyName = in.policyName();
        in.validate();
        iam.deleteRolePolicy(name, policyName);
        return result(request, "DeleteRolePolicy", null);
    }

    private AwsResponse tagRole(AwsRequest request, IamInput in) {
        String name = in.roleName();
        List<Tag> tags = in.tags(true);
        in.validate();
        iam.tagRole(name, tags);
        return result(request, "TagRole", null);
    }

    private AwsResponse untagRole(AwsRequest request, IamInput in) {
        String name = in.roleName();
        List<String> keys = in.tagKeys();
        in.validate();
        iam.untagRole(name, keys);
        return result(request, "UntagRole", null);
    }

    private AwsResponse listRoleTags(AwsRequest request, IamInput in) {
        String name = in.roleName();
        String marker = in.marker();
        int maxItems = in.maxItems();
        in.validate();
        Page<Tag> page = iam.listRoleTags(name, marker, maxItems);
        return result(request, "ListRoleTags", xml -> {
            tags(xml, page.items());
            pageEnd(xml, page);
        });
    }

    private AwsResponse createUser(AwsRequest request, IamInput in) {
        String name = in.newUserName();
        String path = in.string("Path", false, 1, 512, IamInput.PATH);
        List<Tag> tags = in.tags(false);
        in.validate();
        User user = iam.createUser(new IamService.NewUser(name, path, tags));
        return result(request, "CreateUser", xml -> user(xml, "User", user, true));
    }

    /** The named user, or without a name the user who signed the request (the root answers as the account). */
    private AwsResponse getUser(AwsRequest request, IamInput in) {
        String name = in.userName(false);
        in.validate();
        if (name == null) {
            Caller caller = callers.caller(request);
            if (caller.user() == null) {
                return result(request, "GetUser", xml -> xml.start("User")
                        .element("UserId", iam.accountId())
                        .element("Arn", caller.arn())
                        .element("CreateDate", caller.since())
                        .end());
            }
            name = caller.user();
        }
        User user = iam.getUser(name);
        return result(request, "GetUser", xml -> user(xml, "User", user, true));
    }

    private AwsResponse listUsers(AwsRequest request, IamInput in) {
        String prefix = in.string("PathPrefix", false, 1, 512, IamInput.PATH_PREFIX);
        String marker = in.marker();
        int maxItems = in.maxItems();
        in.validate();
        Page<User> page = iam.listUsers(prefix, marker, maxItems);
        return result(request, "ListUsers", xml -> {
            xml.start("Users");
            page.items().forEach(u -> user(xml, "member", u, false));
            xml.end();
            pageEnd(xml, page);
        });
    }

    private AwsResponse deleteUser(AwsRequest request, IamInput in) {
        String name = in.userName(true);
        in.validate();
        iam.deleteUser(name);
        return result(request, "DeleteUser", null);
    }

    private AwsResponse putUserPolicy(AwsRequest request, IamInput in) {
        String name = in.userName(true);
        String policyName = in.policyName();
        String document = in.policyDocument("PolicyDocument");
        in.validate();
        iam.putUserPolicy(name, policyName, document);
        return result(request, "PutUserPolicy", null);
    }

    private AwsResponse getUserPolicy(AwsRequest request, IamInput in) {
        String name = in.userName(true);
        String policyName = in.policyName();
        in.validate();
        IamService.RolePolicy policy = iam.getUserPolicy(name, policyName);
        return result(request, "GetUserPolicy", xml -> xml
                .element("UserName", policy.roleName())
                .element("PolicyName", policy.policyName())
                .element("PolicyDocument", urlEncode(policy.document())));
    }

    private AwsResponse listUserPolicies(AwsRequest request, IamInput in) {
        String name = in.userName(true);
        String marker = in.marker();
        int maxItems = in.maxItems();
        in.validate();
        Page<String> page = iam.listUserPolicies(name, marker, maxItems);
        return result(request, "ListUserPolicies", xml -> {
            xml.start("PolicyNames");
            page.items().forEach(p -> xml.element("member", p));
            xml.end();
            pageEnd(xml, page);
        });
    }

    private AwsResponse deleteUserPolicy(AwsRequest request, IamInput in) {
        String name = in.userName(true);
        String policyName = in.policyName();
        in.validate();
        iam.deleteUserPolicy(name, policyName);
        return result(request, "DeleteUserPolicy", null);
    }

    private AwsResponse createAccessKey(AwsRequest request, IamInput in) {
        String name = ownUserName(request, in);
        User.AccessKey key = iam.createAccessKey(name);
        return result(request, "CreateAccessKey", xml -> xml.start("AccessKey")
                .element("UserName", key.userName())
                .element("AccessKeyId", key.id())
                .element("Status", key.status())
                .element("SecretAccessKey", key.secret())
                .element("CreateDate", key.createDate())
                .end());
    }

    private AwsResponse listAccessKeys(AwsRequest request, IamInput in) {
        String name = ownUserName(request, in);
        String marker = in.marker();
        int maxItems = in.maxItems();
        in.validate();
        Page<User.AccessKey> page = iam.listAccessKeys(name, marker, maxItems);
        return result(request, "ListAccessKeys", xml -> {
            xml.start("AccessKeyMetadata");
            page.items().forEach(k -> xml.start("member")
                    .element("UserName", k.userName())
                    .element("AccessKeyId", k.id())
                    .element("Status", k.status())
                    .element("CreateDate", k.createDate())
                    .end());
            xml.end();
            pageEnd(xml, page);
        });
    }

    private AwsResponse deleteAccessKey(AwsRequest request, IamInput in) {
        String keyId = in.accessKeyId();
        String name = ownUserName(request, in);
        iam.deleteAccessKey(name, keyId);
        return result(request, "DeleteAccessKey", null);
    }

    private AwsResponse createPolicy(AwsRequest request, IamInput in) {
        String name = in.policyName();
        String path = in.string("Path", false, 1, 512, IamInput.POLICY_PATH);
        String document = in.policyDocument("PolicyDocument");
        String description = in.string("Description", false, 0, 1000, IamInput.DESCRIPTION);
        in.validate();
        ManagedPolicy policy = iam.createPolicy(name, path, description, document);
        return result(request, "CreatePolicy", xml -> managedPolicy(xml, policy));
    }

    private AwsResponse getPolicy(AwsRequest request, IamInput in) {
        String arn = in.policyArn();
        in.validate();
        ManagedPolicy policy = iam.getPolicy(arn);
        return result(request, "GetPolicy", xml -> managedPolicy(xml, policy));
    }

    private AwsResponse deletePolicy(AwsRequest request, IamInput in) {
        String arn = in.policyArn();
        in.validate();
        iam.deletePolicy(arn);
        return result(request, "DeletePolicy", null);
    }

    private AwsResponse attachUserPolicy(AwsRequest request, IamInput in) {
        String name = in.newUserName();
        String arn = in.policyArn();
        in.validate();
        iam.attachUserPolicy(name, arn);
        return result(request, "AttachUserPolicy", null);
    }

    private AwsResponse detachUserPolicy(AwsRequest request, IamInput in) {
        String name = in.newUserName();
        String arn = in.policyArn();
        in.validate();
        iam.detachUserPolicy(name, arn);
        return result(request, "DetachUserPolicy", null);
    }

    private AwsResponse listAttachedUserPolicies(AwsRequest request, IamInput in) {
        String name = in.newUserName();
        String marker = in.marker();
        int maxItems = in.maxItems();
        in.validate();
        Page<ManagedPolicy> page = iam.listAttachedUserPolicies(name, marker, maxItems);
        return result(request, "ListAttachedUserPolicies", xml -> {
            xml.start("AttachedPolicies");
            page.items().forEach(p -> xml.start("member").element("PolicyName", p.name()).element("PolicyArn", p.arn()).end());
            xml.end();
            pageEnd(xml, page);
        });
    }

    private static void managedPolicy(XmlWriter xml, ManagedPolicy policy) {
        xml.start("Policy")
                .element("PolicyName", policy.name())
                .element("PolicyId", policy.id())
                .element("Arn", policy.arn())
                .element("Path", policy.path())
                .element("DefaultVersionId", "v1")
                .element("AttachmentCount", policy.attachmentCount())
                .element("PermissionsBoundaryUsageCount", 0)
                .element("IsAttachable", true)
                .element("Description", policy.description())
                .element("CreateDate", policy.createDate())
                .element("UpdateDate", policy.createDate())
                .end();
    }

    /**
     * The UserName of an access key action; without one, the user who signed the request. Keys of
     * the root are not managed here, so the root must name a user.
     */
    private String ownUserName(AwsRequest request, IamInput in) {
        String name = in.userName(false);
        in.validate();
        if (name != null) {
            return name;
        }
        String own = callers.caller(request).user();
        if (own == null) {
            throw AwsServiceException.badRequest("ValidationError",
                    "Must specify userName when calling with non-User credentials");
        }
        return own;
    }

    /** A User structure; the listing leaves out tags, as IAM's ListUsers does. */
    private static void user(XmlWriter xml, String element, User user, boolean details) {
        xml.start(element)
                .element("Path", user.path())
                .element("UserName", user.name())
                .element("UserId", user.id())
                .element("Arn", user.arn())
                .element("CreateDate", user.createDate());
        if (details && !user.tags().isEmpty()) {
            tags(xml, user.tagList());
        }
        xml.end();
    }

    private static AwsResponse result(AwsRequest request, String action, Consumer<XmlWriter> body) {
        return QueryProtocol.result(request, action, XMLNS, body);
    }

    /** A Role structure; the listing leaves out tags and last use, as IAM's ListRoles does. */
    private static void role(XmlWriter xml, String element, Role role, boolean details) {
        xml.start(element)
                .element("Path", role.path())
                .element("RoleName", role.name())
                .element("RoleId", role.id())
                .element("Arn", role.arn())
                .element("CreateDate", role.createDate())
                .element("AssumeRolePolicyDocument", urlEncode(role.assumeRolePolicyDocument()))
                .element("Description", role.description())
                .element("MaxSessionDuration", role.maxSessionDuration());
        if (details) {
            if (!role.tags().isEmpty()) {
                tags(xml, role.tagList());
            }
            xml.start("RoleLastUsed").end();
        }
        xml.end();
    }

    private static void tags(XmlWriter xml, List<Tag> tags) {
        xml.start("Tags");
        tags.forEach(t -> xml.start("member").element("Key", t.key()).element("Value", t.value()).end());
        xml.end();
    }

    private static void pageEnd(XmlWriter xml, Page<?> page) {
        xml.element("IsTruncated", page.truncated());
        xml.element("Marker", page.nextMarker());
    }

    /** RFC 3986 percent-encoding (unreserved characters kept, spaces as %20), as IAM encodes policies. */
    static String urlEncode(String document) {
        return UriEncoding.encode(document, false);
    }
}
