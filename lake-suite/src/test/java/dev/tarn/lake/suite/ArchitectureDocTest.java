package dev.tarn.lake.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/architecture.md's module dependencies and packages are what the poms and sources say. The
 * generator is tools/ArchitectureDoc.java, a JDK-only program, run here as a child process exactly
 * as a contributor runs it.
 */
class ArchitectureDocTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void theCheckedInPageMatchesThePomsAndPackages() throws Exception {
        Result r = run(ROOT, "--check");
        assertEquals(
                0,
                r.exit,
                "docs/architecture.md is out of date. Run `java tools/ArchitectureDoc.java` from the "
                        + "repository root and commit the result.\n"
                        + r.output);
    }

    @Test
    void aDependencyOrPackageTheDocDoesNotShowFailsTheCheckUntilRegenerated(@TempDir Path tmp)
            throws Exception {
        writeProject(tmp, "");
        assertEquals(0, run(tmp, "").exit);
        assertEquals(0, run(tmp, "--check").exit);
        String before = read(tmp);

        // another engineer adds a dependency and an SPI package: the page no longer says what the
        // build does
        writeProject(
                tmp,
                "<dependency><groupId>org.example</groupId><artifactId>lib</artifactId>"
                        + "<scope>runtime</scope></dependency>");
        Files.createDirectories(tmp.resolve("b/src/main/java/x/b/spi"));
        Files.writeString(
                tmp.resolve("b/src/main/java/x/b/spi/Hook.java"),
                "package x.b.spi; interface Hook {}");
        Result stale = run(tmp, "--check");
        assertEquals(1, stale.exit, stale.output);
        assertTrue(
                stale.output.contains("java tools/ArchitectureDoc.java"),
                "names the command: " + stale.output);
        assertEquals(before, read(tmp), "--check never writes");

        assertEquals(0, run(tmp, "").exit);
        assertEquals(0, run(tmp, "--check").exit);
        String after = read(tmp);
        assertTrue(
                after.contains(
                        "| `b` | `dev.tarn:b` | `a` | `org.example:lib` (runtime) | `a test-jar`, `org.junit:junit` |"),
                after);
        assertTrue(after.contains("| `b` | `x.b` | `x.b.spi` | `x.b.internal` |"), after);
        assertTrue(after.contains("| `a` | `x.a` | — | — |"), after);
        assertTrue(
                after.startsWith("# Title\n\n| `a` | first |\n| `b` | second |\n"),
                "text outside is kept");
        assertTrue(after.endsWith("\n## After\n\nkept\n"), "text outside is kept: " + after);
    }

    @Test
    void aModuleMissingFromTheHandWrittenTableIsNamed(@TempDir Path tmp) throws Exception {
        writeProject(tmp, "");
        Files.writeString(
                tmp.resolve("docs/architecture.md"), read(tmp).replace("| `b` | second |\n", ""));
        Result r = run(tmp, "");
        assertEquals(1, r.exit);
        assertTrue(r.output.contains("does not describe [b]"), r.output);
    }

    @Test
    void aModuleImportedButNotDeclaredIsNamed(@TempDir Path tmp) throws Exception {
        writeProject(tmp, "");
        write(
                tmp.resolve("a/src/main/java/x/a/A.java"),
                "package x.a;\n\nimport java.util.List;\nimport static x.b.internal.C.f;\nimport x.b.B;\n\nclass A {}");
        assertEquals(0, run(tmp, "").exit);
        assertTrue(
                read(tmp)
                        .contains(
                                "not declared in the pom (on the class path only through another module's\n"
                                        + "dependencies): `a` imports `b`."),
                read(tmp));

        writeProject(tmp, "");
        assertEquals(
                1,
                run(tmp, "--check").exit,
                "declaring it (here: no longer importing it) changes the page");
        assertEquals(0, run(tmp, "").exit);
        assertTrue(
                read(tmp)
                        .contains(
                                "Every Tarn module that a module's main sources import is declared in its pom."),
                read(tmp));
    }

    /**
     * Two modules: a (published, no dependencies) and b (uses a, a's test jar in tests, and extra).
     */
    private static void writeProject(Path root, String extra) throws IOException {
        write(
                root.resolve("pom.xml"),
                "<project><modules><module>a</module><module>b</module></modules></project>");
        write(root.resolve("a/pom.xml"), "<project><artifactId>a</artifactId></project>");
        write(root.resolve("a/src/main/java/x/a/A.java"), "package x.a; class A {}");
        write(
                root.resolve("b/pom.xml"),
                "<project><artifactId>b</artifactId><dependencies>"
                        + "<dependency><groupId>dev.tarn</groupId><artifactId>a</artifactId></dependency>"
                        + "<dependency><groupId>dev.tarn</groupId><artifactId>a</artifactId><type>test-jar</type>"
                        + "<scope>test</scope></dependency>"
                        + "<dependency><groupId>org.junit</groupId><artifactId>junit</artifactId><scope>test</scope></dependency>"
                        + extra
                        + "</dependencies>"
                        // a plugin's dependencies are not the module's
                        + "<build><plugins><plugin><dependencies><dependency><groupId>p</groupId><artifactId>q</artifactId>"
                        + "</dependency></dependencies></plugin></plugins></build></project>");
        write(
                root.resolve("b/src/main/java/x/b/B.java"),
                "package x.b;\n\nimport x.a.A;\n\nclass B {}");
        write(
                root.resolve("b/src/main/java/x/b/internal/C.java"),
                "package x.b.internal; class C {}");
        Path page = root.resolve("docs/architecture.md");
        if (!Files.exists(page)) {
            write(
                    page,
                    "# Title\n\n| `a` | first |\n| `b` | second |\n\n"
                            + "<!-- BEGIN GENERATED by tools/ArchitectureDoc.java from the poms and packages; do not edit by hand:"
                            + " run `java tools/ArchitectureDoc.java` -->\n<!-- END GENERATED -->\n\n## After\n\nkept\n");
        }
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private static String read(Path root) throws IOException {
        return Files.readString(root.resolve("docs/architecture.md"), StandardCharsets.UTF_8);
    }

    private record Result(int exit, String output) {}

    private static Result run(Path root, String option) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd =
                new ArrayList<>(
                        List.of(java, ROOT.resolve("tools/ArchitectureDoc.java").toString()));
        if (!option.isEmpty()) {
            cmd.add(option);
        }
        cmd.add(root.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the generator ended");
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
