package dev.tarn.lake.exceptions;

import static org.junit.jupiter.api.Assertions.*;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The error codes are a contract: their names, categories and exit codes, their documentation, and
 * the names.
 */
class ErrorCodeTest {
    @TempDir Path dir;

    /**
     * Adding a code adds it here and to docs/errors.md; renaming or removing one breaks scripts, so
     * this fails.
     */
    @Test
    void theCodesAreStable() {
        List<String> expected =
                List.of(
                        "USAGE USER_ERROR 2",
                        "INVALID_ARGUMENT USER_ERROR 2",
                        "INVALID_NAME USER_ERROR 2",
                        "INVALID_CONFIGURATION USER_ERROR 1",
                        "INVALID_OPERATION USER_ERROR 1",
                        "INVALID_INPUT USER_ERROR 1",
                        "ERROR_BUDGET_EXCEEDED USER_ERROR 1",
                        "QUERY_FAILED USER_ERROR 1",
                        "SCHEMA_MISMATCH USER_ERROR 1",
                        "NOT_FOUND NOT_FOUND 1",
                        "LAKE_NOT_FOUND NOT_FOUND 1",
                        "OBJECT_NOT_FOUND NOT_FOUND 1",
                        "TABLE_NOT_FOUND NOT_FOUND 1",
                        "ALREADY_EXISTS ALREADY_EXISTS 1",
                        "OBJECT_EXISTS ALREADY_EXISTS 1",
                        "TABLE_EXISTS ALREADY_EXISTS 1",
                        "COMMIT_CONFLICT CONFLICT 1",
                        "PERMISSION_DENIED PERMISSION 1",
                        "STORE_ACCESS_DENIED PERMISSION 1",
                        "CATALOG_DAMAGED DAMAGED_DATA 1",
                        "TABLE_LOG_BROKEN DAMAGED_DATA 1",
                        "OBJECT_DAMAGED DAMAGED_DATA 1",
                        "UNSUPPORTED_LAYOUT UNSUPPORTED 1",
                        "UNSUPPORTED_TABLE_FEATURE UNSUPPORTED 1",
                        "UNSUPPORTED_OPERATION UNSUPPORTED 1",
                        "IO_ERROR EXTERNAL 1",
                        "STORE_UNAVAILABLE EXTERNAL 1",
                        "ENGINE_FAILED EXTERNAL 1",
                        "COMMIT_STATE_UNKNOWN EXTERNAL 1",
                        "INTERNAL_ERROR INTERNAL 1",
                        "SINK_FAILED EXTERNAL 1",
                        "CONSTRAINT_VIOLATED USER_ERROR 1",
                        "EXPECTATION_FAILED USER_ERROR 1");
        assertEquals(
                expected,
                Arrays.stream(ErrorCode.values())
                        .map(c -> c.name() + " " + c.category() + " " + c.exitCode())
                        .toList());
    }

    @Test
    void docsErrorsListsEveryCodeWithItsCategoryAndExitCode() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "errors.md"));
        for (ErrorCode c : ErrorCode.values()) {
            String row = "| `" + c.name() + "` | `" + c.category() + "` | " + c.exitCode() + " |";
            assertTrue(doc.contains(row), "docs/errors.md lacks the row " + row);
        }
    }

    @Test
    void eachExceptionCarriesItsCode() {
        assertEquals(ErrorCode.INVALID_NAME, new IllegalNameException("x").errorCode());
        assertEquals(ErrorCode.NOT_FOUND, new NotFoundException("x").errorCode());
        assertEquals(ErrorCode.LAKE_NOT_FOUND, new LakeNotFoundException("/x").errorCode());
        assertEquals(ErrorCode.OBJECT_NOT_FOUND, new ObjectNotFoundException("k").errorCode());
        assertEquals(
                ErrorCode.TABLE_NOT_FOUND,
                new NoSuchTableException(DatasetId.parse("raw/t")).errorCode());
        assertEquals(ErrorCode.OBJECT_EXISTS, new ObjectExistsException("k").errorCode());
        assertEquals(ErrorCode.TABLE_EXISTS, new TableAlreadyExistsException("x").errorCode());
        assertEquals(ErrorCode.COMMIT_CONFLICT, new CommitConflictException("x").errorCode());
        assertEquals(ErrorCode.CATALOG_DAMAGED, new CatalogDamagedException("x").errorCode());
        assertEquals(ErrorCode.TABLE_LOG_BROKEN, new BrokenLogException("x").errorCode());
        assertEquals(ErrorCode.UNSUPPORTED_LAYOUT, new UnsupportedLayoutException("x").errorCode());
        assertEquals(ErrorCode.SCHEMA_MISMATCH, new SchemaMismatchException("x").errorCode());
        assertEquals(ErrorCode.INVALID_INPUT, new FormatException("x").errorCode());
        assertEquals(ErrorCode.QUERY_FAILED, new QueryException("x").errorCode());
        assertEquals(
                ErrorCode.COMMIT_STATE_UNKNOWN,
                new CommitStateUnknownException(3, "k", null).errorCode());
    }

    /** The message without its hint, written once in the base for every exception that has one. */
    @Test
    void reasonIsTheMessageWithoutTheHint() {
        var q = new QueryException("too many rows", QueryException.Remedy.STREAM, "; stream them");
        assertEquals("too many rows; stream them", q.getMessage());
        assertEquals("too many rows", q.reason());
        assertEquals(QueryException.Remedy.STREAM, q.remedy());
        var f =
                new FormatException(
                        "a document", FormatException.Remedy.JSON_PATH, " (name its array)");
        assertEquals("a document (name its array)", f.getMessage());
        assertEquals("a document", f.reason());
        var n = new NoSuchTableException(DatasetId.parse("raw/t"));
        assertEquals("no table raw/t (create one with Tables.create)", n.getMessage());
        assertEquals("no table raw/t", n.reason());
        assertEquals("plain", new TarnException(ErrorCode.IO_ERROR, "plain").reason());
    }

    @Test
    void aFailureOfTheLakeCarriesTheCodeThatFits() throws IOException {
        Files.writeString(dir.resolve("stray.txt"), "not a lake");
        TarnException e = assertThrows(TarnException.class, () -> Lake.open(dir));
        assertEquals(ErrorCode.INVALID_CONFIGURATION, e.errorCode(), e.getMessage());
        try (Lake lake = Lake.open(dir.resolve("lake"))) {
            e = assertThrows(TarnException.class, () -> lake.createZone("raw", null));
            assertEquals(ErrorCode.ALREADY_EXISTS, e.errorCode(), e.getMessage());
            e =
                    assertThrows(
                            TarnException.class,
                            () -> lake.catalog().objects(DatasetId.parse("raw/nope")));
            assertEquals(ErrorCode.Category.NOT_FOUND, e.errorCode().category(), e.getMessage());
        }
        e =
                assertThrows(
                        TarnException.class,
                        () ->
                                Lake.builder()
                                        .location(dir.resolve("none"))
                                        .createIfMissing(false)
                                        .open());
        assertEquals(ErrorCode.LAKE_NOT_FOUND, e.errorCode());
    }

    /**
     * No exception of Tarn's shares a simple name with a class of the JDK's java.* or javax.*
     * packages.
     */
    @Test
    void noNameShadowsAJdkClass() throws IOException {
        Set<String> jdk = new TreeSet<>();
        FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
        try (Stream<Path> modules = Files.list(jrt.getPath("/modules"))) {
            for (Path m : modules.toList()) {
                for (String root : List.of("java", "javax")) {
                    Path p = m.resolve(root);
                    if (!Files.isDirectory(p)) {
                        continue;
                    }
                    try (Stream<Path> s = Files.walk(p)) {
                        s.map(f -> f.getFileName().toString())
                                .filter(n -> n.endsWith(".class") && !n.contains("$"))
                                .forEach(
                                        n ->
                                                jdk.add(
                                                        n.substring(
                                                                0,
                                                                n.length() - ".class".length())));
                    }
                }
            }
        }
        assertTrue(
                jdk.contains("AccessDeniedException") && jdk.contains("InvalidNameException"),
                "the scan works");
        Set<String> ours;
        try (Stream<Path> s = Files.list(Path.of("src/main/java/dev/tarn/lake/exceptions"))) {
            ours =
                    s.map(f -> f.getFileName().toString().replace(".java", ""))
                            .collect(Collectors.toSet());
        }
        ours.add("ErrorBudgetExceededException"); // lake-format's, see its javadoc
        assertTrue(ours.contains("TarnException"));
        Set<String> clash = new TreeSet<>(ours);
        clash.retainAll(jdk);
        assertEquals(Set.of(), clash);
    }
}
