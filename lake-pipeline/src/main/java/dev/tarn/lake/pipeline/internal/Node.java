package dev.tarn.lake.pipeline.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pipeline file's value with the line it starts on: Jackson's tree model drops token locations,
 * and every error about a pipeline file names its line.
 *
 * @param value a {@code Map<String, Node>} (keys in file order), a {@code List<Node>}, or a scalar
 *     ({@code String}, {@code Number}, {@code Boolean}, or null)
 * @param line the 1-based line where the value starts
 */
public record Node(Object value, int line) {

    /** Parses YAML (also JSON, which is YAML) or, with {@code json}, strict JSON. */
    public static Node parse(String text, boolean json) {
        JsonFactory factory = json ? new JsonFactory() : new YAMLFactory();
        try (JsonParser p = factory.createParser(text)) {
            if (p.nextToken() == null) {
                return new Node(null, 1);
            }
            Node n = read(p);
            if (p.nextToken() != null) {
                throw new SpecError(line(p), "more than one document in the file");
            }
            return n;
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new SpecError(
                    line, "not valid " + (json ? "JSON" : "YAML") + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new SpecError(0, "cannot read the file: " + e.getMessage());
        }
    }

    private static int line(JsonParser p) {
        return p.currentTokenLocation().getLineNr();
    }

    private static Node read(JsonParser p) throws IOException {
        int line = line(p);
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, Node> map = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    int keyLine = line(p);
                    p.nextToken();
                    Node v = read(p);
                    if (map.containsKey(key)) {
                        throw new SpecError(keyLine, "key '" + key + "' given twice");
                    }
                    map.put(key, v);
                }
                return new Node(Collections.unmodifiableMap(map), line);
            }
            case START_ARRAY -> {
                List<Node> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(read(p));
                }
                return new Node(Collections.unmodifiableList(list), line);
            }
            case VALUE_STRING -> {
                return new Node(p.getText(), line);
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return new Node(p.getNumberValue(), line);
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return new Node(p.getBooleanValue(), line);
            }
            case VALUE_NULL -> {
                return new Node(null, line);
            }
            default -> throw new SpecError(line, "unexpected " + t);
        }
    }

    /** Whether this is a mapping. */
    public boolean isMap() {
        return value instanceof Map;
    }

    @SuppressWarnings("unchecked")
    public Map<String, Node> map(String what) {
        if (value instanceof Map<?, ?> m) {
            return (Map<String, Node>) m;
        }
        throw new SpecError(line, what + " must be a mapping (key: value), not " + describe());
    }

    @SuppressWarnings("unchecked")
    public List<Node> list(String what) {
        if (value instanceof List<?> l) {
            return (List<Node>) l;
        }
        throw new SpecError(line, what + " must be a list, not " + describe());
    }

    /** A list, or a single scalar taken as a list of one. */
    public List<String> strings(String what) {
        if (value instanceof List<?>) {
            List<String> out = new ArrayList<>();
            for (Node n : list(what)) {
                out.add(n.text(what));
            }
            return List.copyOf(out);
        }
        return List.of(text(what));
    }

    public String text(String what) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        throw new SpecError(line, what + " must be a text value, not " + describe());
    }

    public long number(String what) {
        if (value instanceof Number n && n.doubleValue() == n.longValue()) {
            return n.longValue();
        }
        if (value instanceof String s && s.matches("-?[0-9]+")) {
            return Long.parseLong(s);
        }
        throw new SpecError(line, what + " must be a whole number, not " + describe());
    }

    /** The value as plain Java objects (maps, lists, scalars), for rule parsers. */
    public Object plain() {
        if (value instanceof Map<?, ?>) {
            Map<String, Object> out = new LinkedHashMap<>();
            map("").forEach((k, v) -> out.put(k, v.plain()));
            return out;
        }
        if (value instanceof List<?>) {
            List<Object> out = new ArrayList<>();
            list("").forEach(v -> out.add(v.plain()));
            return out;
        }
        return value;
    }

    private String describe() {
        if (value == null) {
            return "nothing";
        }
        if (value instanceof Map) {
            return "a mapping";
        }
        if (value instanceof List) {
            return "a list";
        }
        return "'" + value + "'";
    }
}
