package dev.tarn.lake.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.lake.Lake;
import dev.tarn.lake.catalog.DatasetId;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An Avro map converted into a table is a Delta {@code map} column that Delta Kernel reads back.
 */
class MapConvertTest {
    @TempDir Path tmp;
    Lake lake;
    static final DatasetId RAW = DatasetId.parse("raw/m");
    static final DatasetId TABLE = DatasetId.parse("processed/m");
    static final Schema AVRO =
            new Schema.Parser()
                    .parse(
                            "{\"type\":\"record\",\"name\":\"M\",\"fields\":["
                                    + "{\"name\":\"id\",\"type\":\"long\"},"
                                    + "{\"name\":\"attrs\",\"type\":[\"null\",{\"type\":\"map\",\"values\":\"long\"}],\"default\":null}]}");

    @BeforeEach
    void open() {
        lake = Lake.open(tmp.resolve("lake"));
    }

    @AfterEach
    void close() {
        lake.close();
    }

    private static byte[] avro() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (DataFileWriter<GenericRecord> w =
                new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(AVRO))) {
            w.create(AVRO, b);
            for (int i = 0; i < 3; i++) {
                GenericRecord r = new GenericData.Record(AVRO);
                r.put("id", (long) i);
                Map<String, Long> m = new LinkedHashMap<>();
                for (int k = 0; k < i; k++) {
                    m.put("k" + k, (long) (10 * i + k));
                }
                r.put("attrs", i == 2 ? null : m);
                w.append(r);
            }
        }
        return b.toByteArray();
    }

    @Test
    void avroMapsBecomeDeltaMapColumnsReadByKernel() throws Exception {
        lake.ingest(RAW).bytes(avro(), "a.avro").commit();
        ConvertResult r = Tables.of(lake).newConvert(RAW, TABLE).commit();
        assertEquals(3, r.rowsWritten());

        String log =
                Files.readString(
                                tmp.resolve(
                                        "lake/processed/m/_delta_log/00000000000000000000.json"),
                                StandardCharsets.UTF_8)
                        .replace("\\\"", "\"");
        assertTrue(
                log.contains(
                        "{\"name\":\"attrs\",\"type\":{\"type\":\"map\",\"keyType\":\"string\","
                                + "\"valueType\":\"long\",\"valueContainsNull\":true},\"nullable\":true"),
                log);

        KernelReader.Result k = KernelReader.read(tmp.resolve("lake/processed/m"), null);
        assertEquals(2, k.schema().size());
        assertTrue(k.schema().get(1).startsWith("attrs:map[string, long"), k.schema().toString());
        assertEquals(List.of("id=0,attrs={}", "id=1,attrs={k0=10}", "id=2,attrs=null"), k.rows());

        // a second conversion appends to the same map column
        lake.ingest(RAW).bytes(avro(), "b.avro").commit();
        assertEquals(3, Tables.of(lake).newConvert(RAW, TABLE).commit().rowsWritten());
        assertEquals(6, KernelReader.read(tmp.resolve("lake/processed/m"), null).rows().size());
    }
}
