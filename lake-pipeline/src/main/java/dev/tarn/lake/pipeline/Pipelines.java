package dev.tarn.lake.pipeline;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.Names;
import dev.tarn.lake.exceptions.ErrorCode;
import dev.tarn.lake.exceptions.TarnException;
import dev.tarn.lake.pipeline.internal.SpecParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Loads pipeline files.
 *
 * <pre>{@code
 * Pipeline p = Pipelines.load(lake, Path.of("shop.yaml"));
 * p.validate();            // every problem, with its line and step, before anything runs
 * p.runOnce();             // each step does what is new, in dependency order
 * try (PipelineRunner r = p.start()) { ... }   // keeps running as inputs change
 * }</pre>
 */
public final class Pipelines {
    private Pipelines() {}

    /**
     * Reads a pipeline file: YAML, or JSON when its name ends in {@code .json}. The pipeline's name
     * is the file's {@code name:}, or else its stem ({@code shop.yaml}: {@code shop}). Nothing is
     * checked against the lake yet: {@link Pipeline#validate()} does that, and every run does it
     * first.
     */
    public static Pipeline load(Lake lake, Path file) {
        return load(lake, file, System.getenv());
    }

    /**
     * {@link #load(Lake, Path)} with {@code ${VAR}} in sink settings taken from {@code env} rather
     * than the process's environment.
     */
    public static Pipeline load(Lake lake, Path file, java.util.Map<String, String> env) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new TarnException(ErrorCode.NOT_FOUND, "no pipeline file " + file);
        } catch (IOException e) {
            throw new TarnException(
                    ErrorCode.IO_ERROR,
                    "cannot read pipeline file " + file + ": " + e.getMessage());
        }
        String fileName = file.getFileName().toString();
        int dot = fileName.lastIndexOf('.');
        String stem = (dot > 0 ? fileName.substring(0, dot) : fileName).toLowerCase(Locale.ROOT);
        boolean json = fileName.toLowerCase(Locale.ROOT).endsWith(".json");
        return parse(lake, text, json, stem, fileName, env);
    }

    /**
     * A pipeline from text.
     *
     * @param defaultName the name when the text gives none
     */
    public static Pipeline parse(Lake lake, String text, boolean json, String defaultName) {
        return parse(lake, text, json, defaultName, defaultName, System.getenv());
    }

    private static Pipeline parse(
            Lake lake,
            String text,
            boolean json,
            String defaultName,
            String source,
            java.util.Map<String, String> env) {
        String fallback = Names.isValid(defaultName) ? defaultName : null;
        SpecParser.Parsed parsed = new SpecParser(env::get).parse(text, json, fallback);
        if (parsed.name() == null && parsed.problems().isEmpty()) {
            throw new TarnException(
                    ErrorCode.INVALID_CONFIGURATION,
                    source
                            + ": the file's name '"
                            + defaultName
                            + "' is not a valid pipeline name ("
                            + Names.RULE_TEXT
                            + "); give one with name:");
        }
        return new Pipeline(lake, parsed, source);
    }
}
