package dev.tarn.lake.cli;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Reading the JSON that tables keep in their commit parameters. */
final class CliJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private CliJson() {
    }

    static List<String> stringList(String json) {
        List<String> out = new ArrayList<>();
        try {
            MAPPER.readTree(json).forEach(n -> out.add(n.asText()));
        } catch (IOException e) {
            out.add(json);
        }
        return out;
    }
}
