package dev.tarn.lake.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Runs the CLI in-process through {@link Main#run} with captured streams, against one lake
 * directory.
 */
final class CliRunner {
    static final ObjectMapper JSON = new ObjectMapper();

    /** What a run printed and returned. */
    record Result(int code, byte[] stdout, String stderr) {
        String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return JSON.readTree(stdout);
            } catch (IOException e) {
                throw new AssertionError("stdout is not JSON: " + out() + "\nstderr: " + stderr, e);
            }
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out() + "--- stderr\n" + stderr;
        }
    }

    private final Path lake;
    private final Map<String, String> env = new HashMap<>();

    CliRunner(Path lake) {
        this.lake = lake;
        env.put("TARN_TTY", "0");
    }

    Path lake() {
        return lake;
    }

    CliRunner env(String key, String value) {
        env.put(key, value);
        return this;
    }

    /** {@code lake --lake DIR args...}. */
    Result run(String... args) {
        return runWithStdin(new byte[0], args);
    }

    Result runWithStdin(byte[] stdin, String... args) {
        List<String> all = new ArrayList<>(List.of("--lake", lake.toString()));
        all.addAll(List.of(args));
        return raw(env, stdin, all.toArray(String[]::new));
    }

    /** Exactly these arguments, no {@code --lake}. */
    static Result raw(Map<String, String> env, byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new ByteArrayInputStream(stdin), out, err, env, args);
        return new Result(code, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Every file and directory below {@code root}: relative path to "dir" or size+sha256. Empty if
     * missing.
     */
    static Map<String, String> snapshot(Path root) {
        Map<String, String> m = new TreeMap<>();
        if (!Files.exists(root)) {
            return m;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                String rel = root.relativize(p).toString();
                if (Files.isDirectory(p)) {
                    m.put(rel + "/", "dir");
                } else {
                    byte[] b = Files.readAllBytes(p);
                    m.put(
                            rel,
                            b.length
                                    + " "
                                    + sha256(b)
                                    + " "
                                    + Files.getLastModifiedTime(p).toMillis());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return m;
    }
}
