package dev.tarn.lake.cli;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;

/**
 * The CLI behind a start line, for tests that need several {@code lake} processes to really run a
 * command at the same time: a JVM's start-up takes long enough (and varies enough) that processes
 * merely started together often run one after the other. Test code only; the CLI itself never
 * waits.
 *
 * <p>Args: {@code READY GO SPAN} then the CLI's arguments. Loads the CLI, creates the file READY
 * (so the test knows this process is waiting), waits for the file GO to appear, runs the command
 * exactly as {@link Main#main} does, writes the instants the command started and ended to SPAN
 * ({@code startNanos endNanos}, nanoseconds since the epoch, so the test can check the processes
 * overlapped), and exits with the command's code. Gives up with exit 3 if GO does not appear within
 * a minute (the test died).
 */
public final class BarrierMain {
    private BarrierMain() {}

    public static void main(String[] args) throws Exception {
        Path ready = Path.of(args[0]);
        Path go = Path.of(args[1]);
        Path span = Path.of(args[2]);
        String[] cli = Arrays.copyOfRange(args, 3, args.length);
        // Initialise the CLI (its command table) before the line, so start-up is behind every
        // process by then.
        Class.forName(Main.class.getName());
        Files.createFile(ready);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!Files.exists(go)) {
            if (System.nanoTime() > deadline) {
                System.err.println("barrier: " + go + " did not appear within a minute");
                System.exit(3);
            }
            Thread.sleep(1);
        }
        Instant start = Instant.now();
        OutputStream out =
                new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
        int code =
                Main.run(
                        System.in,
                        out,
                        new FileOutputStream(FileDescriptor.err),
                        System.getenv(),
                        cli);
        Instant end = Instant.now();
        try {
            out.flush();
        } catch (IOException e) {
            // stdout closed: the test reads the exit code and stderr
        }
        Files.writeString(span, nanos(start) + " " + nanos(end) + "\n", StandardCharsets.UTF_8);
        System.exit(code);
    }

    private static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}
