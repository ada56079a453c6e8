package dev.clicklog.localaws.iam;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;

import dev.clicklog.localaws.http.AwsRequest;
import dev.clicklog.localaws.http.AwsResponse;
import dev.clicklog.localaws.http.RouteTable;
import dev.clicklog.localaws.http.ServiceHandler;
import dev.clicklog.localaws.iam.IamService.Page;
import dev.clicklog.localaws.iam.Role.Tag;
import dev.clicklog.localaws.protocol.AwsServiceException;
import dev.clicklog.localaws.protocol.QueryProtocol;
import dev.clicklog.localaws.protocol.XmlWriter;

/**
 * IAM over the query protocol (Version 2010-05-08). Serves roles, their tags and their inline
 * policies (the actions of its route table); policy documents are answered URL-encoded, as IAM does
 * (the AWS CLI decodes them, SDK callers must). Refuses every other action — users, groups, managed
 * policies, instance profiles, … — with InvalidAction, as IAM answers an action it does not know.
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
            .serve("ListRoleTags", this::listRoleTags);

    IamHandler(IamService iam) {
        this.iam = iam;
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
        StringBuilder out = new StringBuilder(document.length() * 2);
        for (byte b : document.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '.' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
