package dev.clicklog.localaws.iam;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.clicklog.endpoint.LocalEndpoint;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.DeleteConflictException;
import software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException;
import software.amazon.awssdk.services.iam.model.GetRolePolicyResponse;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.LimitExceededException;
import software.amazon.awssdk.services.iam.model.ListRolesResponse;
import software.amazon.awssdk.services.iam.model.MalformedPolicyDocumentException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.iam.model.Tag;

@QuarkusTest
class IamTest {

    static final String TRUST = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
             "Principal":{"Service":"firehose.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    @Inject
    IamClient iam;

    @Inject
    LocalEndpoint endpoint;

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String policy(String action, String resource) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"" + action
                + "\",\"Resource\":\"" + resource + "\"}]}";
    }

    /** IAM answers policy documents URL-encoded; SDK callers decode them. */
    static String decode(String document) {
        return URLDecoder.decode(document, StandardCharsets.UTF_8);
    }

    @Test
    void createGetListAndDeleteRole() {
        String name = unique("pipeline-role");
        Role created = iam.createRole(r -> r.roleName(name).path("/clicklog/").assumeRolePolicyDocument(TRUST)
                .description("Firehose delivery").maxSessionDuration(7200)
                .tags(Tag.builder().key("clicklog:pipeline").value("clicks").build())).role();

        assertEquals("arn:aws:iam::000000000000:role/clicklog/" + name, created.arn());
        assertEquals(21, created.roleId().length());
        assertTrue(created.roleId().startsWith("AROA"), created.roleId());
        assertNotNull(created.createDate());

        Role got = iam.getRole(r -> r.roleName(name)).role();
        assertEquals(created.roleId(), got.roleId());
        assertEquals("/clicklog/", got.path());
        assertEquals(TRUST, decode(got.assumeRolePolicyDocument()));
        assertEquals("Firehose delivery", got.description());
        assertEquals(7200, got.maxSessionDuration());
        assertEquals(List.of(Tag.builder().key("clicklog:pipeline").value("clicks").build()), got.tags());

        List<String> listed = iam.listRolesPaginator(r -> r.pathPrefix("/clicklog/")).roles().stream()
                .map(Role::roleName).toList();
        assertTrue(listed.contains(name), listed.toString());
        assertFalse(iam.listRoles(r -> r.pathPrefix("/elsewhere/")).roles().stream().anyMatch(r -> r.roleName().equals(name)));

        iam.deleteRole(r -> r.roleName(name));
        assertThrows(NoSuchEntityException.class, () -> iam.getRole(r -> r.roleName(name)));
    }

    @Test
    void roleNamesAreUniqueWithoutRegardToCase() {
        String name = unique("Dup-Role");
        iam.createRole(r -> r.roleName(name).assumeRolePolicyDocument(TRUST).description("first"));

        EntityAlreadyExistsException e = assertThrows(EntityAlreadyExistsException.class,
                () -> iam.createRole(r -> r.roleName(name.toLowerCase()).assumeRolePolicyDocument(TRUST).description("second")));
        assertEquals(409, e.statusCode());
        assertEquals("EntityAlreadyExists", e.awsErrorDetails().errorCode());
        assertEquals("first", iam.getRole(r -> r.roleName(name)).role().description());
    }

    @Test
    void malformedTrustPoliciesAreRefusedAndCreateNothing() {
        String name = unique("bad-trust");
        for (String document : List.of("{not json", "[]", "{\"Statement\":[]}",
                // a trust policy needs a principal and must not name resources
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\"}]}",
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
                        + "\"Action\":\"sts:AssumeRole\",\"Resource\":\"*\"}]}",
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Maybe\",\"Principal\":\"*\",\"Action\":\"sts:AssumeRole\"}]}",
                "{\"Version\":\"1999-01-01\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"sts:AssumeRole\"}]}")) {
            MalformedPolicyDocumentException e = assertThrows(MalformedPolicyDocumentException.class,
                    () -> iam.createRole(r -> r.roleName(name).assumeRolePolicyDocument(document)), document);
            assertEquals(400, e.statusCode());
        }
        assertThrows(NoSuchEntityException.class, () -> iam.getRole(r -> r.roleName(name)));
    }

    @Test
    void invalidInputIsAValidationErrorAndCreatesNothing() {
        String before = roleNames().toString();
        for (String bad : List.of("has space", "slash/name", "x".repeat(65), "")) {
            IamException e = assertThrows(IamException.class,
                    () -> iam.createRole(r -> r.roleName(bad).assumeRolePolicyDocument(TRUST)), bad);
            assertEquals(400, e.statusCode());
            assertEquals("ValidationError", e.awsErrorDetails().errorCode());
        }
        IamException path = assertThrows(IamException.class,
                () -> iam.createRole(r -> r.roleName(unique("ok")).path("no-slashes").assumeRolePolicyDocument(TRUST)));
        assertEquals("ValidationError", path.awsErrorDetails().errorCode());
        IamException duration = assertThrows(IamException.class,
                () -> iam.createRole(r -> r.roleName(unique("ok")).maxSessionDuration(60).assumeRolePolicyDocument(TRUST)));
        assertTrue(duration.awsErrorDetails().errorMessage().contains("maxSessionDuration"),
                duration.awsErrorDetails().errorMessage());
        assertEquals(before, roleNames().toString());
    }

    @Test
    void inlinePoliciesAreKeptAsDocumentsAndBlockDeletion() {
        String name = unique("writer");
        iam.createRole(r -> r.roleName(name).assumeRolePolicyDocument(TRUST));
        String write = policy("s3:PutObject", "arn:aws:s3:::clicks-bucket/clicks/*");
        String read = policy("kinesis:GetRecords", "arn:aws:kinesis:us-east-1:000000000000:stream/clicks");
        iam.putRolePolicy(r -> r.roleName(name).policyName("write-s3").policyDocument(write));
        iam.putRolePolicy(r -> r.roleName(name).policyName("read-kinesis").policyDocument(read));

        GetRolePolicyResponse got = iam.getRolePolicy(r -> r.roleName(name).policyName("write-s3"));
        assertEquals(name, got.roleName());
        assertEquals("write-s3", got.policyName());
        assertEquals(write, decode(got.policyDocument()));
        assertEquals(List.of("read-kinesis", "write-s3"), iam.listRolePolicies(r -> r.roleName(name)).policyNames());

        // Putting under an existing name replaces the document.
        String narrower = policy("s3:PutObject", "arn:aws:s3:::clicks-bucket/clicks/2026/*");
        iam.putRolePolicy(r -> r.roleName(name).policyName("write-s3").policyDocument(narrower));
        assertEquals(narrower, decode(iam.getRolePolicy(r -> r.roleName(name).policyName("write-s3")).policyDocument()));

        DeleteConflictException conflict = assertThrows(DeleteConflictException.class, () -> iam.deleteRole(r -> r.roleName(name)));
        assertEquals(409, conflict.statusCode());
        assertEquals(name, iam.getRole(r -> r.roleName(name)).role().roleName());

        iam.deleteRolePolicy(r -> r.roleName(name).policyName("write-s3"));
        assertThrows(NoSuchEntityException.class, () -> iam.getRolePolicy(r -> r.roleName(name).policyName("write-s3")));
        assertThrows(NoSuchEntityException.class, () -> iam.deleteRolePolicy(r -> r.roleName(name).policyName("write-s3")));
        assertThrows(DeleteConflictException.class, () -> iam.deleteRole(r -> r.roleName(name)));
        iam.deleteRolePolicy(r -> r.roleName(name).policyName("read-kinesis"));
        iam.deleteRole(r -> r.roleName(name));
        assertThrows(NoSuchEntityException.class, () -> iam.getRole(r -> r.roleName(name)));
    }

    @Test
    void identityPoliciesAreCheckedBeforeTheyAreStored() {
        String name = unique("checked");
        iam.createRole(r -> r.roleName(name).assumeRolePolicyDocument(TRUST));
        for (String document : List.of("{\"Statement\":", policy("PutObject", "*"), policy("s3:PutObject", "bucket"),
                "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\"}}",
                "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":\"*\"}}")) {
            assertThrows(MalformedPolicyDocumentException.class,
                    () -> iam.putRolePolicy(r -> r.roleName(name).policyName("p").policyDocument(document)), document);
        }
        assertEquals(List.of(), iam.listRolePolicies(r -> r.roleName(name)).policyNames());

        // Inline policies of a role may total 10,240 characters (white space not counted).
        String big = policy("s3:GetObject", "arn:aws:s3:::" + "b".repeat(10_300));
        LimitExceededException limit = assertThrows(LimitExceededException.class,
                () -> iam.putRolePolicy(r -> r.roleName(name).policyName("big").policyDocument(big)));
        assertEquals(409, limit.statusCode());
        assertEquals(List.of(), iam.listRolePolicies(r -> r.roleName(name)).policyNames());

        assertThrows(NoSuchEntityException.class,
                () -> iam.putRolePolicy(r -> r.roleName(unique("missing")).policyName("p").policyDocument(policy("s3:*", "*"))));
    }

    @Test
    void tagsAreAddedReplacedAndRemovedCaseInsensitively() {
        String name = unique("tagged");
        iam.createRole(r -> r.roleName(name).assumeRolePolicyDocument(TRUST)
                .tags(Tag.builder().key("team").value("web").build()));
        iam.tagRole(r -> r.roleName(name).tags(Tag.builder().key("Team").value("data").build(),
                Tag.builder().key("managed-by").value("clicklog-portal").build()));
        Map<String, String> tags = iam.listRoleTags(r -> r.roleName(name)).tags().stream()
                .collect(Collectors.toMap(Tag::key, Tag::value));
        assertEquals(Map.of("Team", "data", "managed-by", "clicklog-portal"), tags);

        IamException duplicate = assertThrows(IamException.class, () -> iam.tagRole(r -> r.roleName(name).tags(
                Tag.builder().key("a").value("1").build(), Tag.builder().key("A").value("2").build())));
        assertEquals("InvalidInput", duplicate.awsErrorDetails().errorCode());

        List<Tag> many = IntStream.range(0, 49).mapToObj(i -> Tag.builder().key("k" + i).value("v").build()).toList();
        assertThrows(LimitExceededException.class, () -> iam.tagRole(r -> r.roleName(name).tags(many)));
        assertEquals(2, iam.listRoleTags(r -> r.roleName(name)).tags().size());

        iam.untagRole(r -> r.roleName(name).tagKeys("TEAM", "not-there"));
        assertEquals(List.of(Tag.builder().key("managed-by").value("clicklog-portal").build()),
                iam.listRoleTags(r -> r.roleName(name)).tags());
        assertThrows(NoSuchEntityException.class,
                () -> iam.tagRole(r -> r.roleName(unique("missing")).tags(Tag.builder().key("a").value("b").build())));
    }

    @Test
    void trustPolicyCanBeReplaced() {
        String name = unique("retrust");
        iam.createRole(r -> r.roleName(name).assumeRolePolicyDocument(TRUST));
        String apigw = TRUST.replace("firehose.amazonaws.com", "apigateway.amazonaws.com");
        iam.updateAssumeRolePolicy(r -> r.roleName(name).policyDocument(apigw));
        assertEquals(apigw, decode(iam.getRole(r -> r.roleName(name)).role().assumeRolePolicyDocument()));

        assertThrows(MalformedPolicyDocumentException.class,
                () -> iam.updateAssumeRolePolicy(r -> r.roleName(name).policyDocument(policy("s3:*", "*"))));
        assertEquals(apigw, decode(iam.getRole(r -> r.roleName(name)).role().assumeRolePolicyDocument()));
    }

    @Test
    void listRolesPagesWithMarkers() {
        String path = "/" + unique("page") + "/";
        Set<String> names = new HashSet<>();
        for (int i = 0; i < 7; i++) {
            String name = unique("paged" + i);
            names.add(name);
            iam.createRole(r -> r.roleName(name).path(path).assumeRolePolicyDocument(TRUST));
        }
        List<String> seen = new ArrayList<>();
        String marker = null;
        int pages = 0;
        do {
            String m = marker;
            ListRolesResponse page = iam.listRoles(r -> r.pathPrefix(path).maxItems(3).marker(m));
            assertTrue(page.roles().size() <= 3);
            page.roles().forEach(r -> seen.add(r.roleName()));
            marker = page.isTruncated() ? page.marker() : null;
            pages++;
        } while (marker != null);
        assertEquals(3, pages);
        assertEquals(names, new HashSet<>(seen));
        assertEquals(names.size(), seen.size());
        // The listing does not carry tags, as IAM's does not.
        iam.tagRole(r -> r.roleName(seen.get(0)).tags(Tag.builder().key("a").value("b").build()));
        assertFalse(iam.listRoles(r -> r.pathPrefix(path)).roles().get(0).hasTags());
    }

    @Test
    void missingRolesAreNoSuchEntity() {
        String name = unique("ghost");
        NoSuchEntityException e = assertThrows(NoSuchEntityException.class, () -> iam.getRole(r -> r.roleName(name)));
        assertEquals(404, e.statusCode());
        assertTrue(e.awsErrorDetails().errorMessage().contains(name));
        assertThrows(NoSuchEntityException.class, () -> iam.deleteRole(r -> r.roleName(name)));
        assertThrows(NoSuchEntityException.class, () -> iam.listRolePolicies(r -> r.roleName(name)));
        assertThrows(NoSuchEntityException.class, () -> iam.updateAssumeRolePolicy(r -> r.roleName(name).policyDocument(TRUST)));
    }

    @Test
    void unknownActionIsInvalidAction() {
        given().baseUri("http://" + endpoint.uri().getHost()).port(endpoint.uri().getPort())
                .contentType("application/x-www-form-urlencoded")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/iam/aws4_request, "
                        + "SignedHeaders=host, Signature=0")
                .body("Action=CreateGroup&Version=2010-05-08&GroupName=someone")
                .post("/")
                .then().statusCode(400)
                .body("ErrorResponse.Error.Code", equalTo("InvalidAction"))
                .body("ErrorResponse.Error.Type", equalTo("Sender"));
    }

    private List<String> roleNames() {
        return iam.listRolesPaginator().roles().stream().map(Role::roleName).sorted().toList();
    }
}
