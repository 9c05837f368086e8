package run.creativeai.client;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The client is the JDK and Jackson only: nothing of AWS's, nor of the gateway it talks to. */
class ClientDependenciesTest {
    @Test
    void theClientUsesOnlyTheJdkAndJackson() {
        JavaClasses client = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages("run.creativeai.client");
        classes().should().onlyDependOnClassesThat().resideInAnyPackage("java..", "javax.crypto..",
                "com.fasterxml.jackson..", "run.creativeai.client..").check(client);
    }
}
