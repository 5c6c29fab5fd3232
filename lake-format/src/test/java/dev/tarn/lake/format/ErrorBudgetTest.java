package dev.tarn.lake.format;

import static dev.tarn.lake.format.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.lake.exceptions.FormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Acceptance 4: the error budget fails a job atomically, with no visible output. */
class ErrorBudgetTest {
    @TempDir Path dir;

    private Path input(int good, int bad) {
        StringBuilder sb = new StringBuilder();
        int total = good + bad;
        int step = total / bad;
        int placed = 0;
        for (int i = 0; i < total; i++) {
            boolean broken = i % step == 0 && placed < bad;
            if (broken) {
                placed++;
            }
            sb.append(broken ? "{broken\n" : "{\"i\":" + i + "}\n");
        }
        return write(dir, "in.ndjson", sb.toString());
    }

    private List<Path> files(Path root) throws IOException {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> w = Files.walk(root)) {
            return w.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void countBudgetExceededLeavesNoOutputButKeepsTheQuarantine() throws IOException {
        Path in = input(100, 5);
        Path out = dir.resolve("out");
        Path bad = dir.resolve("bad.ndjson");
        ErrorBudgetExceededException e =
                assertThrows(
                        ErrorBudgetExceededException.class,
                        () ->
                                Conversion.of(in)
                                        .output(Output.directory(out))
                                        .quarantine(Output.file(bad))
                                        .errorBudget(ErrorBudget.count(2))
                                        .commit());
        assertTrue(e.getMessage().contains("no output was written"), e.getMessage());
        assertEquals(List.of(), files(out), "no data file, no temp file may remain");
        assertTrue(Files.exists(bad));
        assertEquals(3, Fixtures.quarantine(bad).size());
        assertTrue(e.report().files().isEmpty());
    }

    @Test
    void fractionBudgetIsCheckedAtTheEnd() throws IOException {
        Path in = input(90, 10);
        Path out = dir.resolve("out");
        Path bad = dir.resolve("bad.ndjson");
        assertThrows(
                ErrorBudgetExceededException.class,
                () ->
                        Conversion.of(in)
                                .output(Output.directory(out))
                                .quarantine(Output.file(bad))
                                .errorBudget(ErrorBudget.fraction(0.05))
                                .commit());
        assertEquals(List.of(), files(out));
        ConversionReport ok =
                Conversion.of(in)
                        .output(Output.directory(out))
                        .quarantine(Output.file(bad))
                        .errorBudget(ErrorBudget.fraction(0.2))
                        .commit();
        assertEquals(90, ok.rowsWritten());
        assertEquals(10, ok.rowsQuarantined());
        assertEquals(100, ok.rowsRead());
        assertEquals(ok.files().size(), files(out).size());
    }

    @Test
    void withoutQuarantineTheFirstBadRecordFailsNamingItsLine() throws IOException {
        Path in = write(dir, "in.ndjson", "{\"a\":1}\n{\"a\":2}\n{oops\n");
        Path out = dir.resolve("out.parquet");
        FormatException e =
                assertThrows(
                        FormatException.class,
                        () -> Conversion.of(in).output(Output.file(out)).commit());
        assertTrue(e.getMessage().contains("in.ndjson line 3"), e.getMessage());
        assertTrue(e.getMessage().contains("quarantine"), e.getMessage());
        assertEquals(List.of(in), files(dir));
    }

    @Test
    void aBudgetWithoutQuarantineIsRejected() {
        Path in = write(dir, "in.ndjson", "{\"a\":1}\n");
        assertThrows(
                IllegalStateException.class,
                () ->
                        Conversion.of(in)
                                .output(Output.file(dir.resolve("o.parquet")))
                                .errorBudget(ErrorBudget.count(10))
                                .commit());
    }

    @Test
    void storeOutputIsCommittedOnlyOnSuccess() {
        MemoryStore store = new MemoryStore();
        Path in = input(50, 3);
        assertThrows(
                ErrorBudgetExceededException.class,
                () ->
                        Conversion.of(in)
                                .output(Output.store(store, "processed/t"))
                                .quarantine(Output.storeObject(store, "quarantine/q.ndjson"))
                                .errorBudget(ErrorBudget.count(1))
                                .commit());
        assertTrue(
                store.objects.keySet().stream().noneMatch(k -> k.startsWith("processed/")),
                store.objects::toString);
        assertTrue(store.objects.containsKey("quarantine/q.ndjson"));
        assertEquals(0, store.open.get(), "every staged writer was closed");

        ConversionReport r =
                Conversion.of(in)
                        .output(Output.store(store, "processed/t"))
                        .quarantine(Output.storeObject(store, "quarantine/q2.ndjson"))
                        .errorBudget(ErrorBudget.count(3))
                        .commit();
        assertEquals(50, r.rowsWritten());
        assertTrue(
                store.objects.keySet().stream()
                        .anyMatch(k -> k.startsWith("processed/t/part-") && k.endsWith(".parquet")),
                store.objects::toString);
        assertEquals(0, store.open.get());
    }
}
