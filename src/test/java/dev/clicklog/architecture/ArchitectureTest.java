package dev.clicklog.architecture;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;

import dev.clicklog.localaws.kinesis.CrossServiceImportExample;
import dev.clicklog.localaws.s3.ProductImportExample;
import dev.clicklog.portal.pipeline.CallerImportExample;
import dev.clicklog.portal.pipeline.SdkImportExample;
import dev.clicklog.portal.web.EmulatorImportExample;

/**
 * The package rules hold for the code as built, and each would catch the import it forbids: the
 * examples beside the rules (test classes, never part of the product) each make one forbidden
 * import, and the rule names it.
 */
class ArchitectureTest {

    private static JavaClasses main;

    @BeforeAll
    static void importClasses() {
        main = ArchitectureRules.mainClasses();
    }

    @Test
    void theProductAndTheEmulatorFollowEveryRule() {
        List<String> broken = ArchitectureRules.all().stream()
                .map(rule -> rule.evaluate(main))
                .filter(EvaluationResult::hasViolation)
                .map(r -> r.getFailureReport().toString())
                .toList();
        assertTrue(broken.isEmpty(), () -> String.join("\n\n", broken));
    }

    @Test
    void theRulesSeeTheWholeCode() {
        // A rule over an empty import would pass whatever the code does.
        assertTrue(main.stream().anyMatch(c -> c.getPackageName().startsWith("dev.clicklog.portal.web")));
        assertTrue(main.stream().anyMatch(c -> c.getPackageName().startsWith("dev.clicklog.localaws.kinesis")));
        assertTrue(main.stream().anyMatch(c -> c.getPackageName().startsWith("dev.clicklog.portal.adapter")));
    }

    @Test
    void aPageImportingTheEmulatorIsCaught() {
        assertCaught(ArchitectureRules.PRODUCT_DOES_NOT_SEE_THE_EMULATOR, EmulatorImportExample.class,
                "dev.clicklog.localaws.LocalAwsConfig");
    }

    @Test
    void theEmulatorImportingTheProductIsCaught() {
        assertCaught(ArchitectureRules.EMULATOR_DOES_NOT_SEE_THE_PRODUCT, ProductImportExample.class,
                "dev.clicklog.portal.pipeline.PipelineSpec");
    }

    @Test
    void theDomainImportingTheSdkIsCaught() {
        assertCaught(ArchitectureRules.ONLY_ADAPTERS_SEE_THE_SDK, SdkImportExample.class,
                "software.amazon.awssdk.services.kinesis.KinesisClient");
    }

    @Test
    void theDomainAskingWhoCallsIsCaught() {
        assertCaught(ArchitectureRules.DOMAIN_DOES_NOT_SEE_THE_WEB, CallerImportExample.class,
                "dev.clicklog.portal.auth.CurrentCaller");
    }

    @Test
    void aServiceImportingAnotherServiceIsCaught() {
        ArchRule kinesisRule = ArchitectureRules.SERVICE_ISOLATION.get(ArchitectureRules.SERVICES.indexOf("kinesis"));
        assertCaught(kinesisRule, CrossServiceImportExample.class, "dev.clicklog.localaws.s3.S3Service");
    }

    @Test
    void theExamplesAreNotPartOfTheProduct() {
        assertFalse(main.contain(EmulatorImportExample.class));
        assertFalse(main.contain(CrossServiceImportExample.class));
    }

    private static void assertCaught(ArchRule rule, Class<?> example, String forbidden) {
        JavaClasses classes = new ClassFileImporter().importClasses(example);
        EvaluationResult result = rule.evaluate(classes);
        assertTrue(result.hasViolation(), () -> rule.getDescription() + " let " + example.getName() + " pass");
        String report = result.getFailureReport().getDetails().stream().collect(Collectors.joining("\n"));
        assertTrue(report.contains(forbidden), report);
    }
}
