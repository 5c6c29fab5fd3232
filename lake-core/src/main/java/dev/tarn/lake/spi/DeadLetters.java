package dev.tarn.lake.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.Names;
import dev.tarn.lake.event.ChangeEvent;
import dev.tarn.lake.event.DeadLetter;
import dev.tarn.lake.event.LakeEvent;
import dev.tarn.lake.exceptions.CatalogDamagedException;
import dev.tarn.lake.exceptions.ObjectNotFoundException;
import dev.tarn.lake.storage.ObjectStat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How subscriptions keep their dead letters in the store: one JSON object per dead letter, {@code
 * _tarn/subscriptions/<name>/dead-letters/<source>@<version>.json} (a table source's '/' written as
 * '.', which no name contains). One key per event, so an event dead-lettered again after a restart
 * replaces its entry rather than adding another. The SQL engine reads them for {@code
 * tarn.dead_letters}; callers authorize first (the store here is the unrestricted one).
 */
public final class DeadLetters {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROOT = Names.RESERVED_PREFIX + "/subscriptions/";
    private static final String DIR = "/dead-letters/";

    private DeadLetters() {}

    /** The key prefix of a subscription's state: {@code _tarn/subscriptions/<name>/}. */
    public static String dirOf(String subscription) {
        return ROOT + Names.check("subscription", subscription) + "/";
    }

    /** The key of the dead letter of {@code event} in {@code subscription}. */
    public static String keyOf(String subscription, ChangeEvent event) {
        return dirOf(subscription)
                + DIR.substring(1)
                + event.source().replace('/', '.')
                + "@"
                + String.format("%020d", event.version())
                + ".json";
    }

    /** Writes (or replaces) a dead letter. */
    public static void write(LakeInternals lake, DeadLetter letter) {
        lake.store()
                .put(
                        keyOf(letter.subscription(), letter.event()),
                        toBytes(letter),
                        dev.tarn.lake.storage.WriteMode.OVERWRITE);
    }

    /** Removes a dead letter; false if it was not there. */
    public static boolean delete(LakeInternals lake, DeadLetter letter) {
        return lake.store().delete(keyOf(letter.subscription(), letter.event()));
    }

    /** The dead letters of one subscription, oldest failure first. */
    public static List<DeadLetter> list(LakeInternals lake, String subscription) {
        return read(lake, dirOf(subscription) + DIR.substring(1));
    }

    /** The dead letters of every subscription, by subscription, then oldest failure first. */
    public static List<DeadLetter> listAll(LakeInternals lake) {
        List<DeadLetter> all = new ArrayList<>();
        for (ObjectStat s : lake.store().list(ROOT)) {
            if (s.key().contains(DIR) && s.key().endsWith(".json")) {
                readOne(lake, s.key()).ifPresent(all::add);
            }
        }
        all.sort(
                Comparator.comparing(DeadLetter::subscription)
                        .thenComparing(DeadLetter::failedAt)
                        .thenComparing(DeadLetter::position));
        return all;
    }

    private static List<DeadLetter> read(LakeInternals lake, String prefix) {
        List<DeadLetter> out = new ArrayList<>();
        for (ObjectStat s : lake.store().list(prefix)) {
            if (s.key().endsWith(".json")) {
                readOne(lake, s.key()).ifPresent(out::add);
            }
        }
        out.sort(Comparator.comparing(DeadLetter::failedAt).thenComparing(DeadLetter::position));
        return out;
    }

    private static Optional<DeadLetter> readOne(LakeInternals lake, String key) {
        byte[] bytes;
        try {
            bytes = lake.store().getBytes(key);
        } catch (ObjectNotFoundException e) {
            return Optional.empty(); // replayed or discarded meanwhile
        }
        try {
            JsonNode n = JSON.readTree(bytes);
            return Optional.of(
                    new DeadLetter(
                            n.path("subscription").asText(),
                            eventOf(n.path("event")),
                            n.path("attempts").asInt(),
                            n.path("errorClass").asText(),
                            n.path("errorMessage").asText(),
                            n.path("stackHead").asText(),
                            Instant.parse(n.path("failedAt").asText())));
        } catch (IOException | RuntimeException e) {
            throw new CatalogDamagedException(
                    "the dead letter " + key + " cannot be read: " + e.getMessage());
        }
    }

    private static byte[] toBytes(DeadLetter d) {
        ObjectNode n = JSON.createObjectNode();
        n.put("subscription", d.subscription());
        n.put("position", d.position());
        n.put("attempts", d.attempts());
        n.put("errorClass", d.errorClass());
        n.put("errorMessage", d.errorMessage());
        n.put("stackHead", d.stackHead());
        n.put("failedAt", d.failedAt().toString());
        n.set("event", eventNode(d.event()));
        try {
            return JSON.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An event as a JSON object (the {@code event} column of {@code tarn.dead_letters}). */
    public static String eventJson(ChangeEvent e) {
        try {
            return JSON.writeValueAsString(eventNode(e));
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    private static ObjectNode eventNode(ChangeEvent e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("position", e.position());
        n.put("source", e.source());
        n.put("kind", e.kind().name());
        n.put("version", e.version());
        n.put("timestamp", e.timestamp().toString());
        n.put("principal", e.principal());
        n.put("operation", e.operation());
        ArrayNode ds = n.putArray("datasets");
        e.datasets().forEach(d -> ds.add(d.toString()));
        ArrayNode added = n.putArray("added");
        e.added().forEach(added::add);
        ArrayNode removed = n.putArray("removed");
        e.removed().forEach(removed::add);
        ObjectNode metrics = n.putObject("metrics");
        e.metrics().forEach(metrics::put);
        return n;
    }

    private static ChangeEvent eventOf(JsonNode n) {
        List<DatasetId> datasets = new ArrayList<>();
        n.path("datasets").forEach(d -> datasets.add(DatasetId.parse(d.asText())));
        List<String> added = new ArrayList<>();
        n.path("added").forEach(a -> added.add(a.asText()));
        List<String> removed = new ArrayList<>();
        n.path("removed").forEach(a -> removed.add(a.asText()));
        Map<String, Long> metrics = new LinkedHashMap<>();
        n.path("metrics")
                .fields()
                .forEachRemaining(f -> metrics.put(f.getKey(), f.getValue().asLong()));
        return new ChangeEvent(
                n.path("source").asText(),
                LakeEvent.Kind.valueOf(n.path("kind").asText()),
                n.path("version").asLong(),
                Instant.parse(n.path("timestamp").asText()),
                n.path("principal").asText(),
                n.path("operation").asText(),
                datasets,
                added,
                removed,
                metrics);
    }
}
