package com.example;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/** This example may use simnet only through its public packages: otherwise it would not guard the API. */
class UsesOnlyThePublicApiTest {
    @Test
    void onlyPublicSimnetPackages() {
        classes().that().resideInAPackage("com.example..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("dev.simnet.api", "dev.simnet.junit",
                        "dev.simnet.jqwik", "java..", "org.junit..", "org.opentest4j..", "net.jqwik..", "com.tngtech..",
                        "com.example..", "")
                .check(new ClassFileImporter().importPath(java.nio.file.Path.of("target", "test-classes")));
    }
}
