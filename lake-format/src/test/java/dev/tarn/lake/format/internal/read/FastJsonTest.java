package dev.tarn.lake.format.internal.read;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.lake.exceptions.FormatException;
import dev.tarn.lake.format.internal.convert.BadRecord;
import dev.tarn.lake.format.internal.convert.Plan;
import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.Field;
import dev.tarn.lake.types.StructType;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.apache.parquet.io.api.Binary;
import org.junit.jupiter.api.Test;

/** The byte-level JSON record reader used for conversion. */
class FastJsonTest {
    private static final StructType SCHEMA =
            DataType.struct(
                    Field.of("i", DataType.INT),
                    Field.of("l", DataType.LONG),
                    Field.of("d", DataType.DOUBLE),
                    Field.of("s", DataType.STRING),
                    Field.of("b", DataType.BOOLEAN),
                    Field.of("x", DataType.decimal(5, 2)),
                    Field.of("t", DataType.TIMESTAMP),
                    Field.of("o", DataType.struct(Field.of("k", DataType.STRING))),
                    Field.of("a", DataType.list(DataType.INT)));

    private static Object[] read(String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return new FastJson(new Plan(SCHEMA, ""), true).read(b, 0, b.length, 0, "t");
    }

    private static String text(Object v) {
        return ((Binary) v).toStringUsingUTF8();
    }

    private static String badReason(String json) {
        BadRecord e = assertThrows(BadRecord.class, () -> read(json));
        return e.getMessage();
    }

    @Test
    void readsEveryKindInAnyOrderWithWhitespace() {
        Object[] r =
                read(
                        " { \"a\" : [1, 2] , \"s\":\"x\\ty\\u00e9\\ud83d\\ude00\",\"o\":{\"k\":\"v\"},\"b\":true,"
                                + "\"x\":1.5,\"t\":\"2024-01-01T00:00:00Z\",\"d\":-2.5e3,\"l\":-9223372036854775808,\"i\":-7 } ");
        assertEquals(-7, r[0]);
        assertEquals(Long.MIN_VALUE, r[1]);
        assertEquals(-2500.0, r[2]);
        assertEquals("x\ty\u00e9\uD83D\uDE00", text(r[3]));
        assertEquals(Boolean.TRUE, r[4]);
        assertEquals(new BigDecimal("1.50"), r[5]);
        assertEquals(1704067200000000L, r[6]);
        assertEquals("v", text(((Object[]) r[7])[0]));
        assertArrayEquals(new Object[] {1, 2}, (Object[]) r[8]);
    }

    @Test
    void nullsAndEmptyContainers() {
        Object[] r = read("{\"s\":null,\"a\":[],\"o\":{}}");
        assertNull(r[3]);
        assertEquals(0, ((Object[]) r[8]).length);
        assertNull(((Object[]) r[7])[0]);
    }

    @Test
    void syntaxErrorsAreBadRecords() {
        assertTrue(badReason("{\"i\":01}").contains("leading zeros"));
        assertTrue(badReason("{\"i\":1.}").contains("invalid number"));
        assertTrue(badReason("{\"b\":tru}").startsWith("invalid JSON"));
        assertTrue(badReason("{\"b\":truex}").startsWith("invalid JSON"));
        assertTrue(badReason("{\"i\":1,}").startsWith("invalid JSON"));
        assertTrue(badReason("{\"i\":1").startsWith("invalid JSON"));
        assertTrue(badReason("{\"s\":\"a\\qb\"}").contains("invalid escape"));
        assertTrue(badReason("{\"s\":\"tab\there\"}").contains("control character"));
        assertTrue(badReason("{\"i\":1} x").contains("after the JSON object"));
        assertTrue(badReason("[1]").contains("not a JSON object but an array"));
        assertTrue(badReason("{\"s\":\"\\ud800\"}").contains("lone surrogate"));
    }

    @Test
    void valuesThatDoNotFitAreMisfits() {
        BadRecord e = assertThrows(BadRecord.class, () -> read("{\"i\":3000000000}"));
        assertTrue(e.misfit);
        assertTrue(assertThrows(BadRecord.class, () -> read("{\"i\":\"1\"}")).misfit);
        assertTrue(assertThrows(BadRecord.class, () -> read("{\"x\":1.234}")).misfit);
        assertTrue(assertThrows(BadRecord.class, () -> read("{\"zz\":1}")).misfit);
        // a double column rejects a value a double cannot hold exactly (inferred schemas)
        assertTrue(
                assertThrows(BadRecord.class, () -> read("{\"d\":0.1234567890123456789}")).misfit);
        assertTrue(assertThrows(BadRecord.class, () -> read("{\"d\":1e400}")).misfit);
        assertFalse(assertThrows(BadRecord.class, () -> read("{\"i\":1,\"i\":2}")).misfit);
    }

    @Test
    void nestedValuesInATextColumnBecomeCompactJson() {
        StructType s = DataType.struct(Field.of("s", DataType.STRING));
        byte[] b =
                "{\"s\": { \"a\" : [1, true, null, \"x\\\"y\"], \"b\": {} } }"
                        .getBytes(StandardCharsets.UTF_8);
        Object[] r = new FastJson(new Plan(s, ""), true).read(b, 0, b.length, 0, "t");
        assertEquals("{\"a\":[1,true,null,\"x\\\"y\"],\"b\":{}}", text(r[0]));
    }

    @Test
    void invalidUtf8InAStringIsAnErrorWithItsOffset() {
        byte[] b = {'{', '"', 's', '"', ':', '"', 'a', (byte) 0xC3, '(', '"', '}'};
        FormatException e =
                assertThrows(
                        FormatException.class,
                        () ->
                                new FastJson(new Plan(SCHEMA, ""), true)
                                        .read(b, 0, b.length, 100, "t"));
        assertTrue(e.getMessage().contains("byte offset 107"), e.getMessage());
    }
}
