package dev.simnet.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.simnet.sched.RealtimeRunner;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules of sim-core, checked on its compiled classes (a second guard beside the
 * maven-enforcer rule in sim-core/pom.xml, which bans module dependencies outright).
 */
class ArchitectureTest {
    private static JavaClasses core;
    private static Set<String> coreNames;

    @BeforeAll
    static void importSimCore() {
        core = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages("dev.simnet");
        coreNames = core.stream().map(JavaClass::getName).collect(Collectors.toSet());
    }

    @Test
    void theImportSeesSimCore() {
        assertTrue(coreNames.contains("dev.simnet.sched.Scheduler"));
        assertTrue(coreNames.contains("dev.simnet.addr.MacAddress"));
        assertTrue(coreNames.stream().noneMatch(n -> n.endsWith("Test")), "tests excluded");
    }

    @Test
    void simCoreDoesNotDependOnOtherModules() {
        ArchRule rule = noClasses().that().resideInAPackage("dev.simnet..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "dev.simnet.dns..", "dev.simnet.linux..", "dev.simnet.tap..",
                        "dev.simnet.scenarios..", "dev.simnet.cli..", "dev.simnet.bench..",
                        "dev.simnet.compose..", "dev.simnet.docker..", "dev.simnet.proptest..")
                .because("sim-core is the engine; modules depend on it, never the reverse");
        rule.check(core);
    }

    @Test
    void simCoreUsesOnlyItsOwnSimnetClasses() {
        DescribedPredicate<JavaClass> foreignSimnet = DescribedPredicate.describe(
                "a dev.simnet class from outside sim-core",
                c -> c.getPackageName().startsWith("dev.simnet") && !coreNames.contains(c.getName())
                        && !coreNames.contains(c.getBaseComponentType().getName()));
        noClasses().should().dependOnClassesThat(foreignSimnet).check(core);
    }

    @Test
    void addressesDependOnNothingElseInTheEngine() {
        classes().that().resideInAPackage("dev.simnet.addr..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.simnet.addr..")
                .allowEmptyShould(true)
                .check(core);
    }

    @Test
    void wireFormatsDependOnlyOnAddressesAndBuffers() {
        classes().that().resideInAPackage("dev.simnet.wire..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(
                        "java..", "dev.simnet.wire..", "dev.simnet.addr..", "dev.simnet.packet..")
                .because("wire formats sit below every engine package (sched, device, l2, ip, netfilter, host, ...)")
                .allowEmptyShould(true)
                .check(core);
    }

    @Test
    void packetBuffersDependOnNothingElseInTheEngine() {
        classes().that().resideInAPackage("dev.simnet.packet..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.simnet.packet..")
                .allowEmptyShould(true)
                .check(core);
    }

    @Test
    void onlyTheRealtimeRunnerReadsAClock() {
        noClasses().that().doNotHaveFullyQualifiedName(RealtimeRunner.class.getName())
                .should().callMethod(System.class, "nanoTime")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(java.time.Instant.class, "now")
                .orShould().callMethod(java.time.Clock.class, "systemUTC")
                .orShould().callMethod(java.time.Clock.class, "systemDefaultZone")
                .orShould().callMethod(Math.class, "random")
                .orShould().callConstructor(java.util.Random.class)
                .orShould().callConstructor(SplittableRandom.class)
                .orShould().callMethod(java.util.concurrent.ThreadLocalRandom.class, "current")
                .because("virtual time and seeded streams only: the no-argument Random/SplittableRandom seed from the clock")
                .check(core);
    }
}
