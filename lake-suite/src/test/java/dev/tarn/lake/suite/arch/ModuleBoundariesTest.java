package dev.tarn.lake.suite.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The modules meet only at their public API and lake-core's {@code dev.tarn.lake.spi}: no class of
 * one module depends on another module's {@code internal} packages. Checked over the main classes
 * of every module (this module depends on all of them); test classes may reach into their own
 * module.
 */
class ModuleBoundariesTest {
    /**
     * Modules other than lake-core, by their package under {@code dev.tarn.lake}; lake-core owns
     * every other one.
     */
    static final List<String> MODULES =
            List.of(
                    "format",
                    "table",
                    "query",
                    "pipeline",
                    "s3",
                    "testing",
                    "cli",
                    "examples",
                    "sparkcheck");

    /** Test classes, and the test jars of lake-s3 and lake-table that this module also uses. */
    private static final ImportOption MAIN_ONLY =
            location ->
                    new ImportOption.DoNotIncludeTests().includes(location)
                            && !location.contains("-tests.jar");

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter().withImportOption(MAIN_ONLY).importPackages("dev.tarn.lake");
    }

    /** One rule per module: nothing outside it depends on its internal packages. */
    static ArchRule noModuleReachesIntoAnothersInternals() {
        List<ArchRule> rules = new ArrayList<>();
        rules.add(
                noClasses()
                        .that(DescribedPredicate.not(IN_CORE))
                        .should()
                        .dependOnClassesThat()
                        .resideInAPackage("dev.tarn.lake.internal..")
                        .as("only lake-core uses dev.tarn.lake.internal"));
        for (String m : MODULES) {
            rules.add(
                    noClasses()
                            .that()
                            .resideOutsideOfPackage("dev.tarn.lake." + m + "..")
                            .should()
                            .dependOnClassesThat()
                            .resideInAPackage("dev.tarn.lake." + m + ".internal..")
                            .as("only " + m + " uses dev.tarn.lake." + m + ".internal"));
        }
        return CompositeArchRule.of(rules)
                .as("no module depends on another module's internal packages");
    }

    /**
     * lake-core's classes: {@code dev.tarn.lake} and its subpackages that are not another module's.
     */
    static final DescribedPredicate<JavaClass> IN_CORE =
            DescribedPredicate.describe(
                    "in lake-core",
                    c ->
                            c.getPackageName().startsWith("dev.tarn.lake")
                                    && MODULES.stream()
                                            .noneMatch(
                                                    m ->
                                                            c.getPackageName()
                                                                            .equals(
                                                                                    "dev.tarn.lake."
                                                                                            + m)
                                                                    || c.getPackageName()
                                                                            .startsWith(
                                                                                    "dev.tarn.lake."
                                                                                            + m
                                                                                            + ".")));

    private static final Pattern INTERNAL = Pattern.compile("(^|.*\\.)internal(\\..*|$)");

    /** Public methods and constructors of public API classes take and return no internal types. */
    static ArchRule apiSignaturesShowNoInternalTypes() {
        return codeUnits()
                .that()
                .arePublic()
                .and()
                .areDeclaredInClassesThat(
                        DescribedPredicate.describe(
                                "public API classes",
                                c ->
                                        c.getModifiers().contains(JavaModifier.PUBLIC)
                                                && !INTERNAL.matcher(c.getPackageName()).matches()))
                .should(
                        new ArchCondition<JavaCodeUnit>("not take or return internal types") {
                            @Override
                            public void check(JavaCodeUnit unit, ConditionEvents events) {
                                List<JavaClass> types =
                                        new ArrayList<>(unit.getRawParameterTypes());
                                types.add(unit.getRawReturnType());
                                for (JavaClass t : types) {
                                    JavaClass base = t.isArray() ? t.getBaseComponentType() : t;
                                    if (base.getPackageName().startsWith("dev.tarn.lake")
                                            && INTERNAL.matcher(base.getPackageName()).matches()) {
                                        events.add(
                                                SimpleConditionEvent.violated(
                                                        unit,
                                                        unit.getFullName()
                                                                + " exposes "
                                                                + base.getName()));
                                    }
                                }
                            }
                        });
    }

    @Test
    void noModuleDependsOnAnotherModulesInternals() {
        assertTrue(
                main.stream()
                        .anyMatch(
                                c ->
                                        c.getName()
                                                .equals(
                                                        "dev.tarn.lake.table.internal.DefaultTables")),
                "the main classes of lake-table were imported");
        assertTrue(
                main.stream().anyMatch(c -> c.getPackageName().startsWith("dev.tarn.lake.cli")),
                "the main classes of lake-cli were imported");
        assertFalse(main.stream().anyMatch(c -> c.getPackageName().startsWith("archfixture")));
        noModuleReachesIntoAnothersInternals().check(main);
    }

    @Test
    void publicApiSignaturesExposeNoInternalTypes() {
        apiSignaturesShowNoInternalTypes().check(main);
    }

    @Test
    void theRuleReportsAClassThatImportsAnotherModulesInternals() {
        JavaClasses fixture =
                new ClassFileImporter()
                        .importClasses(
                                archfixture.ReachesIntoCore.class,
                                archfixture.ReachesIntoTables.class);
        EvaluationResult result = noModuleReachesIntoAnothersInternals().evaluate(fixture);
        assertTrue(result.hasViolation(), "the rule found nothing");
        String report = result.getFailureReport().toString();
        assertTrue(
                report.contains("archfixture.ReachesIntoCore")
                        && report.contains("dev.tarn.lake.internal."),
                report);
        assertTrue(
                report.contains("archfixture.ReachesIntoTables")
                        && report.contains("dev.tarn.lake.table.internal.DefaultTables"),
                report);
    }
}
