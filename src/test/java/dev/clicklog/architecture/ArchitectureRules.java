package dev.clicklog.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import java.util.ArrayList;
import java.util.List;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The package rules of {@code docs/architecture.md}, as code. The product ({@code portal}) and the
 * embedded AWS endpoint ({@code localaws}) never see each other; they meet only in
 * {@code dev.clicklog.endpoint}. Inside the product the arrows point {@code web → pipeline/observe →
 * adapter → AWS SDK}; inside localaws each service sees only its own classes and the shared
 * packages, so services talk to each other over the wire or through the {@code spi} ports.
 */
final class ArchitectureRules {

    static final String PORTAL = "dev.clicklog.portal..";
    static final String LOCALAWS = "dev.clicklog.localaws..";
    static final String ENDPOINT = "dev.clicklog.endpoint..";
    static final String ADAPTER = "dev.clicklog.portal.adapter..";
    static final String PIPELINE = "dev.clicklog.portal.pipeline..";
    static final String OBSERVE = "dev.clicklog.portal.observe..";
    static final String WEB = "dev.clicklog.portal.web..";
    static final String AUTH = "dev.clicklog.portal.auth..";
    static final String AUDIT = "dev.clicklog.portal.audit..";
    static final String SDK = "software.amazon.awssdk..";

    /** The emulated services; each is a package of its own under localaws. */
    static final List<String> SERVICES = List.of("iam", "sts", "kinesis", "s3", "firehose", "cloudwatch", "apigateway",
            "logs");
    /** What every localaws service may use besides itself. */
    static final String[] SHARED = { "dev.clicklog.localaws.http..", "dev.clicklog.localaws.protocol..",
            "dev.clicklog.localaws.fault..", "dev.clicklog.localaws.spi..", "dev.clicklog.localaws.storage.." };

    static final ArchRule PRODUCT_DOES_NOT_SEE_THE_EMULATOR = noClasses().that().resideInAPackage(PORTAL)
            .should().dependOnClassesThat().resideInAPackage(LOCALAWS)
            .because("the portal talks to localaws only over HTTP, as it talks to AWS");

    static final ArchRule EMULATOR_DOES_NOT_SEE_THE_PRODUCT = noClasses().that().resideInAPackage(LOCALAWS)
            .should().dependOnClassesThat().resideInAPackage(PORTAL)
            .because("localaws is an AWS endpoint; it knows nothing of pipelines");

    static final ArchRule ENDPOINT_IS_NEUTRAL = noClasses().that().resideInAPackage(ENDPOINT)
            .should().dependOnClassesThat().resideInAnyPackage(PORTAL, LOCALAWS)
            .because("the handover between the two halves belongs to neither");

    static final ArchRule ONLY_ADAPTERS_SEE_THE_SDK = noClasses().that()
            .resideInAnyPackage(PIPELINE, OBSERVE, WEB, AUTH, AUDIT)
            .should().dependOnClassesThat().resideInAPackage(SDK)
            .because("AWS is reached through the adapters, which turn SDK types and errors into the portal's");

    static final ArchRule ADAPTERS_ARE_THE_BOTTOM = noClasses().that().resideInAPackage(ADAPTER)
            .should().dependOnClassesThat().resideInAnyPackage(PIPELINE, OBSERVE, WEB, AUTH, AUDIT)
            .because("web → auth → pipeline/observe → adapter → SDK");

    static final ArchRule DOMAIN_DOES_NOT_SEE_THE_WEB = noClasses().that().resideInAnyPackage(PIPELINE, OBSERVE, ADAPTER)
            .should().dependOnClassesThat().resideInAnyPackage(WEB, AUTH)
            .because("the domain receives values (the caller as an Actor), never HTTP or the identity machinery");

    static final ArchRule AUTH_DOES_NOT_SEE_THE_WEB = noClasses().that().resideInAPackage(AUTH)
            .should().dependOnClassesThat().resideInAnyPackage(WEB, OBSERVE)
            .because("who may do what is decided before a page or the API answers, which then shows the answer");

    static final ArchRule AUDIT_IS_A_LEAF = noClasses().that().resideInAPackage(AUDIT)
            .should().dependOnClassesThat().resideInAnyPackage(PIPELINE, OBSERVE, WEB, AUTH, ADAPTER)
            .because("the audit trail records what every part of the portal reports to it");

    static final ArchRule PIPELINES_DO_NOT_SEE_OBSERVATION = noClasses().that().resideInAPackage(PIPELINE)
            .should().dependOnClassesThat().resideInAPackage(OBSERVE)
            .because("observing a pipeline reads it; provisioning does not depend on what is observed");

    static final List<ArchRule> SERVICE_ISOLATION = SERVICES.stream().map(ArchitectureRules::serviceIsolation).toList();

    static final ArchRule SHARED_PACKAGES_KNOW_NO_SERVICE = noClasses().that().resideInAnyPackage(SHARED)
            .should().dependOnClassesThat().resideInAnyPackage(SERVICES.stream()
                    .map(s -> "dev.clicklog.localaws." + s + "..").toArray(String[]::new))
            .because("the shared packages serve every service alike");

    static List<ArchRule> all() {
        List<ArchRule> rules = new ArrayList<>(List.of(PRODUCT_DOES_NOT_SEE_THE_EMULATOR,
                EMULATOR_DOES_NOT_SEE_THE_PRODUCT, ENDPOINT_IS_NEUTRAL, ONLY_ADAPTERS_SEE_THE_SDK,
                ADAPTERS_ARE_THE_BOTTOM, DOMAIN_DOES_NOT_SEE_THE_WEB, AUTH_DOES_NOT_SEE_THE_WEB, AUDIT_IS_A_LEAF,
                PIPELINES_DO_NOT_SEE_OBSERVATION,
                SHARED_PACKAGES_KNOW_NO_SERVICE));
        rules.addAll(SERVICE_ISOLATION);
        return rules;
    }

    /** The product's classes as built (tests left out). */
    static JavaClasses mainClasses() {
        return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.clicklog");
    }

    /**
     * A service's classes use only their own package, the shared ones, localaws' configuration, the
     * JDK and libraries: never another service's internals.
     */
    private static ArchRule serviceIsolation(String service) {
        String own = "dev.clicklog.localaws." + service + "..";
        return classes().that().resideInAPackage(own)
                .should().onlyDependOnClassesThat(new DescribedPredicate<JavaClass>(
                        "are in " + own + ", a shared localaws package, LocalAwsConfig, the endpoint handover or outside dev.clicklog") {
                    @Override
                    public boolean test(JavaClass c) {
                        String pkg = c.getPackageName();
                        if (!pkg.startsWith("dev.clicklog")) {
                            return true;
                        }
                        if (pkg.equals("dev.clicklog.endpoint")) {
                            return true;
                        }
                        if (c.getName().equals("dev.clicklog.localaws.LocalAwsConfig")
                                || c.getName().startsWith("dev.clicklog.localaws.LocalAwsConfig$")) {
                            return true;
                        }
                        if (pkg.equals("dev.clicklog.localaws." + service)
                                || pkg.startsWith("dev.clicklog.localaws." + service + ".")) {
                            return true;
                        }
                        for (String shared : SHARED) {
                            String base = shared.substring(0, shared.length() - 2);
                            if (pkg.equals(base) || pkg.startsWith(base + ".")) {
                                return true;
                            }
                        }
                        return false;
                    }
                })
                .allowEmptyShould(true)
                .because("localaws services reach each other over the wire or through the spi ports");
    }

    private ArchitectureRules() {
    }
}
