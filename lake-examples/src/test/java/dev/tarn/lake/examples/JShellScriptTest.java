package dev.tarn.lake.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** The documented JShell command, run non-interactively on a script, as CI must. */
class JShellScriptTest {
    @TempDir
    Path tmp;

    @Test
    void theShellOpensTheLakeAndRunsAScript() throws Exception {
        Path repo = Path.of("..").toAbsolutePath().normalize();
        Path lakeDir = tmp.resolve("lake");
        ProcessBuilder pb = new ProcessBuilder("bash", repo.resolve("tarn-shell").toString(), "--no-build",
                repo.resolve("lake-examples/src/test/jshell/smoke.jsh").toString())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("TARN_LAKE", lakeDir.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("`lake` is " + lakeDir.toUri()), out);
        assertTrue(out.contains("stored=1"), out);
        assertTrue(out.contains("objects=1"), out);
        // sha256("hello")
        assertTrue(out.contains("sha256=2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"), out);
        assertTrue(out.contains("meta={from=jshell}"), out);
        assertTrue(out.contains("clean=true"), out);
        assertTrue(out.contains("sql=hello.txt"), out);
        assertTrue(out.contains("table=42@v1"), out);
        assertFalse(out.contains("Error"), out);
        assertFalse(out.contains("SLF4J"), "no logging noise in the shell: " + out);
        assertTrue(Files.isDirectory(lakeDir.resolve("raw/notes")), "the script wrote into the lake it was given");
    }
}
