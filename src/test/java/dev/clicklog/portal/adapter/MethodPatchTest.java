package dev.clicklog.portal.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.clicklog.portal.adapter.IngestApiDefinition.MethodSpec;
import dev.clicklog.portal.adapter.MethodPatch.Op;

/** How a method of the ingest API is patched from one definition to another, worked out without AWS. */
class MethodPatchTest {

    private static final String ALLOW_ORIGIN = "method.response.header.Access-Control-Allow-Origin";
    private static final String VARY = "method.response.header.Vary";

    @Test
    void theSameDefinitionNeedsNothing() {
        MethodSpec put = put(List.of("*"), false);
        assertTrue(MethodPatch.between(put, put).none());
    }

    @Test
    void requiringAKeyIsOneOperationOnTheMethod() {
        MethodPatch patch = MethodPatch.between(put(List.of("*"), false), put(List.of("*"), true));
        assertFalse(patch.replace());
        assertEquals(List.of(new Op("replace", "/apiKeyRequired", "true")), patch.method());
        assertTrue(patch.integration().isEmpty());
        assertTrue(patch.integrationResponses().isEmpty());
    }

    @Test
    void anotherSingleOriginReplacesTheHeaderMappingOfEachResponse() {
        MethodPatch patch = MethodPatch.between(put(List.of("https://a.example"), false),
                put(List.of("https://b.example"), false));
        assertEquals(Set.of("200", "400", "500"), patch.integrationResponses().keySet());
        assertEquals(List.of(new Op("replace", "/responseParameters/" + ALLOW_ORIGIN, "'https://b.example'")),
                patch.integrationResponses().get("200"));
        assertTrue(patch.methodResponses().isEmpty(), "the header is declared already");
    }

    @Test
    void severalOriginsDeclareVaryFirstAndTheOneOriginDropsItLast() {
        MethodPatch toMany = MethodPatch.between(put(List.of("*"), false),
                put(List.of("https://a.example", "https://b.example"), false));
        assertEquals(List.of(new Op("add", "/responseParameters/" + VARY, "false")), toMany.methodResponses().get("200"));
        List<Op> ir = toMany.integrationResponses().get("200");
        assertTrue(ir.contains(new Op("add", "/responseParameters/" + VARY, "'Origin'")), ir.toString());
        assertTrue(ir.contains(new Op("remove", "/responseParameters/" + ALLOW_ORIGIN, null)), ir.toString());
        assertTrue(ir.stream().anyMatch(o -> o.op().equals("add") && o.path().equals("/responseTemplates/application~1json")),
                "the template that echoes an allowed origin: " + ir);

        MethodPatch toOne = MethodPatch.between(put(List.of("https://a.example", "https://b.example"), false),
                put(List.of("*"), false));
        assertTrue(toOne.methodResponses().isEmpty());
        assertEquals(List.of(new Op("remove", "/responseParameters/" + VARY, null)), toOne.methodResponseRemovals().get("200"),
                "removed once nothing maps it any more");
    }

    @Test
    void anIntegrationOfAnotherTypeIsReplacedWhole() {
        MethodSpec put = put(List.of("*"), false);
        MethodSpec noIntegration = new MethodSpec(put.path(), put.httpMethod(), false, put.requestValidatorId(),
                put.requestModels(), put.methodResponses(), null);
        assertTrue(MethodPatch.between(noIntegration, put).replace());
    }

    @Test
    void pathSegmentsAreEscapedAsJsonPointer() {
        assertEquals("application~1json", MethodPatch.segment("application/json"));
        assertEquals("a~0b", MethodPatch.segment("a~b"));
    }

    private static MethodSpec put(List<String> origins, boolean apiKeyRequired) {
        IngestApiDefinition d = IngestApiDefinition.clicks("clicklog-p", "arn:aws:apigateway:us-east-1:kinesis:action/PutRecord",
                "arn:aws:apigateway:us-east-1:kinesis:action/PutRecords", "arn:aws:iam::000000000000:role/r", "v1", origins,
                apiKeyRequired);
        return d.methods().stream().filter(m -> m.httpMethod().equals("PUT") && m.path().equals("/clicks")).findFirst()
                .orElseThrow();
    }
}
