package run.creativeai.gateway.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The domain's packages depend on each other one way: the API on the domain services, the services
 * on the model, never back. A cycle between two packages fails this test, naming the classes that
 * make it.
 */
class PackageDependenciesTest {
    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("run.creativeai.gateway");

    @Test
    void noTwoPackagesOfTheDomainDependOnEachOther() {
        slices().matching("run.creativeai.gateway.(**)").should().beFreeOfCycles().check(CORE);
    }

    @Test
    void theModelKnowsNothingOfTheServicesAndTheServicesNothingOfTheApi() {
        noClasses().that().resideInAnyPackage("..gateway.model..", "..gateway.plan..", "..gateway.job..", "..gateway.media..",
                "..gateway.tenant..", "..gateway.limits..", "..gateway.config..", "..gateway.json..",
                "..gateway.pricing..", "..gateway.billing..")
                .should().dependOnClassesThat().resideInAnyPackage("..gateway.api..", "..gateway.admission..",
                        "..gateway.dispatch..", "..gateway.concurrency..", "..gateway.webhook..",
                        "..gateway.reconcile..", "..gateway.access..", "..gateway.provider..",
                        "..gateway.idempotency..", "..gateway.uploads..")
                .check(CORE);
        noClasses().that().resideOutsideOfPackage("..gateway.api..")
                .should().dependOnClassesThat().resideInAPackage("..gateway.api..")
                .check(CORE);
    }
}
