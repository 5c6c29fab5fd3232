package dev.tarn.lake.types;

import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.URLClassLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The type constants exist whichever class a program touches first. In a fresh class loader PrimitiveType is used
 * before DataType (as reading a Delta schema does: PrimitiveType.byDeltaName), then DataType's constants are read.
 */
class TypeInitOrderTest {
    @Test
    void constantsAreSetWhenPrimitiveTypeIsUsedFirst() throws Exception {
        URL classes = PrimitiveType.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader fresh = new URLClassLoader(new URL[]{classes}, ClassLoader.getPlatformClassLoader())) {
            Class<?> primitive = Class.forName("dev.tarn.lake.types.PrimitiveType", true, fresh);
            Object longType = primitive.getMethod("byDeltaName", String.class).invoke(null, "long");
            Class<?> dataType = Class.forName("dev.tarn.lake.types.DataType", true, fresh);
            for (String name : new String[]{"BOOLEAN", "INT", "LONG", "STRING", "TIMESTAMP_NTZ"}) {
                assertNotNull(dataType.getField(name).get(null), "DataType." + name);
            }
            assertEquals(longType, dataType.getField("LONG").get(null));
        }
    }
}
