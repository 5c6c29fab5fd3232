package dev.tarn.lake.format.internal.read;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** Member names of union structs: type or simple name, then full names, then positions. */
class AvroUnionNamesTest {
    private static Schema record(String ns, String name) {
        return Schema.createRecord(name, null, ns, false, List.of());
    }

    @Test
    void namesFollowTheBranches() {
        assertArrayEquals(
                new String[] {"int", "string", "array", "Circle"},
                AvroRows.unionNames(
                        List.of(
                                Schema.create(Schema.Type.INT), Schema.create(Schema.Type.STRING),
                                Schema.createArray(Schema.create(Schema.Type.INT)),
                                        record("geo", "Circle"))));
        assertArrayEquals(
                new String[] {"a.P", "b.P", "long"},
                AvroRows.unionNames(
                        List.of(
                                record("a", "P"),
                                record("b", "P"),
                                Schema.create(Schema.Type.LONG))));
        // a record called "array" (in no namespace) next to an array: names clash whichever form is
        // taken
        assertArrayEquals(
                new String[] {"member0", "member1"},
                AvroRows.unionNames(
                        List.of(
                                Schema.createArray(Schema.create(Schema.Type.INT)),
                                record(null, "array"))));
    }
}
