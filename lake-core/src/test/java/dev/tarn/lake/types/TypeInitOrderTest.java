package dev.tarn.lake.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

/**
 * The type constants exist whichever class a program touches first. In a fresh class loader
 * PrimitiveType is used before DataType (as reading a Delta schema does:
 * PrimitiveType.byDeltaName), then DataType's constants are read.
 */
class TypeInitOrderTest {
    @Test
    void constantsAreSetWhenPrimitiveTypeIsUsedFirst() throws Exception {
        URL classes = PrimitiveType.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader fresh =
                new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader())) {
            Class<?> primitive = Class.forName("dev.tarn.lake.types.PrimitiveType", true, fresh);
            Object longType = primitive.getMethod("byDeltaName", String.class).invoke(null, "long");
            Class<?> dataType = Class.forName("dev.tarn.lake.types.DataType", true, fresh);
            for (String name : new String[] {"BOOLEAN", "INT", "LONG", "STRING", "TIMESTAMP_NTZ"}) {
                assertNotNull(dataType.getField(name).get(null), "DataType." + name);
            }
            assertEquals(longType, dataType.getField("LONG").get(null));
        }
    }

    /**
     * The types with parameters share default methods (ParameterizedType): using one first leaves
     * the constants set.
     */
    @Test
    void constantsAreSetWhenATypeWithParametersIsUsedFirst() throws Exception {
        URL classes = PrimitiveType.class.getProtectionDomain().getCodeSource().getLocation();
        for (String first : new String[] {"DecimalType", "ListType", "MapType", "StructType"}) {
            try (URLClassLoader fresh =
                    new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader())) {
                Class<?> type = Class.forName("dev.tarn.lake.types." + first, true, fresh);
                Class<?> dataType = Class.forName("dev.tarn.lake.types.DataType", false, fresh);
                Object longType = dataType.getField("LONG").get(null);
                assertNotNull(longType, first + " first: DataType.LONG");
                Object value =
                        switch (first) {
                            case "DecimalType" ->
                                    type.getConstructor(int.class, int.class).newInstance(10, 2);
                            case "ListType" ->
                                    type.getConstructor(dataType, boolean.class)
                                            .newInstance(longType, true);
                            case "MapType" ->
                                    type.getConstructor(dataType, dataType, boolean.class)
                                            .newInstance(longType, longType, true);
                            default ->
                                    type.getConstructor(java.util.List.class)
                                            .newInstance(java.util.List.of());
                        };
                assertEquals(false, dataType.getMethod("isPrimitive").invoke(value), first);
                assertEquals(
                        first.equals("StructType"),
                        dataType.getMethod("isStruct").invoke(value),
                        first);
                Class<?> primitive =
                        Class.forName("dev.tarn.lake.types.PrimitiveType", true, fresh);
                assertEquals(primitive.getField("LONG").get(null), longType, first + " first");
            }
        }
    }
}
