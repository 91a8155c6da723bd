package dev.simnet.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The API's public surface mentions only {@code dev.simnet.api} and {@code java.*} types: no engine class leaks out. */
class ApiSurfaceTest {
    private static final JavaClasses API = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.simnet.api");

    private static boolean allowed(JavaClass c) {
        JavaClass base = c.isArray() ? c.getBaseComponentType() : c;
        String name = base.getName();
        return base.isPrimitive() || name.startsWith("java.") || name.startsWith("dev.simnet.api.")
                && !name.substring("dev.simnet.api.".length()).contains(".");
    }

    private static final ArchCondition<JavaCodeUnit> MENTION_ONLY_API_AND_JAVA =
            new ArchCondition<>("mention only dev.simnet.api and java.* types") {
                @Override
                public void check(JavaCodeUnit m, ConditionEvents events) {
                    List<JavaType> types = new ArrayList<>();
                    types.add(m.getReturnType());
                    types.addAll(m.getParameterTypes());
                    for (JavaType t : types) {
                        for (JavaClass c : t.getAllInvolvedRawTypes()) {
                            if (!allowed(c)) {
                                events.add(SimpleConditionEvent.violated(m, m.getFullName() + " mentions " + c.getName()));
                            }
                        }
                    }
                    for (JavaClass c : m.getExceptionTypes()) {
                        if (!allowed(c)) {
                            events.add(SimpleConditionEvent.violated(m, m.getFullName() + " throws " + c.getName()));
                        }
                    }
                }
            };

    private static final DescribedPredicate<JavaCodeUnit> IN_PUBLIC_API_TYPE = new DescribedPredicate<>("declared in a public type") {
        @Override
        public boolean test(JavaCodeUnit m) {
            return m.getOwner().getModifiers().contains(JavaModifier.PUBLIC);
        }
    };

    @Test
    void publicSignaturesMentionOnlyApiAndJavaTypes() {
        methods().that().arePublic().and(IN_PUBLIC_API_TYPE).should(MENTION_ONLY_API_AND_JAVA).check(API);
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits().that().arePublic().and(IN_PUBLIC_API_TYPE)
                .should(MENTION_ONLY_API_AND_JAVA).check(API);
    }

    @Test
    void publicTypesExtendOnlyApiAndJavaTypes() {
        classes().that().arePublic().should(new ArchCondition<JavaClass>("extend and implement only API and java.* types") {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                List<JavaClass> supers = new ArrayList<>(c.getRawInterfaces());
                c.getRawSuperclass().ifPresent(supers::add);
                for (JavaClass s : supers) {
                    if (!allowed(s)) {
                        events.add(SimpleConditionEvent.violated(c, c.getName() + " extends " + s.getName()));
                    }
                }
            }
        }).check(API);
    }

    @Test
    void publicFieldsAreNone() {
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields().that().arePublic().and()
                .areDeclaredInClassesThat().arePublic().should().beStatic().andShould().beFinal()
                .allowEmptyShould(true).check(API);
    }
}
