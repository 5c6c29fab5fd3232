package dev.tarn.lake.table.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tarn.lake.table.DeltaTypes;
import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.DecimalType;
import dev.tarn.lake.types.Field;
import dev.tarn.lake.types.ListType;
import dev.tarn.lake.types.MapType;
import dev.tarn.lake.types.PrimitiveType;
import dev.tarn.lake.types.Schema;
import dev.tarn.lake.types.StructType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Delta schema serialization (Spark SQL's JSON schema) to and from {@link Schema}. */
public final class DeltaSchema {
    private static final Pattern DECIMAL =
            Pattern.compile("decimal\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\)");

    private DeltaSchema() {}

    public static String toJson(Schema schema) {
        return Json.write(structNode(schema.fields()));
    }

    public static Schema fromJson(String json) {
        JsonNode n = Json.parse(json);
        DataType t = type(n);
        if (!(t instanceof StructType s)) {
            throw new IllegalArgumentException("a table schema must be a struct, not " + n);
        }
        return new Schema(s.fields());
    }

    private static ObjectNode structNode(List<Field> fields) {
        ObjectNode o = Json.object();
        o.put("type", "struct");
        ArrayNode arr = o.putArray("fields");
        for (Field f : fields) {
            ObjectNode fo = arr.addObject();
            fo.put("name", f.name());
            fo.set("type", typeNode(f.type()));
            fo.put("nullable", f.nullable());
            fo.set("metadata", Json.fromJava(f.metadata()));
        }
        return o;
    }

    private static JsonNode typeNode(DataType t) {
        if (t instanceof PrimitiveType || t instanceof DecimalType) {
            return Json.MAPPER.getNodeFactory().textNode(DeltaTypes.name(t));
        }
        if (t instanceof StructType s) {
            return structNode(s.fields());
        }
        if (t instanceof ListType a) {
            ObjectNode o = Json.object();
            o.put("type", "array");
            o.set("elementType", typeNode(a.element()));
            o.put("containsNull", a.elementNullable());
            return o;
        }
        MapType m = (MapType) t;
        ObjectNode o = Json.object();
        o.put("type", "map");
        o.set("keyType", typeNode(m.key()));
        o.set("valueType", typeNode(m.value()));
        o.put("valueContainsNull", m.valueNullable());
        return o;
    }

    @SuppressWarnings("unchecked")
    private static DataType type(JsonNode n) {
        if (n.isTextual()) {
            String name = n.asText();
            PrimitiveType p = PrimitiveType.byDeltaName(name);
            if (p != null) {
                return p;
            }
            if (name.equals("decimal")) {
                return new DecimalType(10, 0);
            }
            Matcher m = DECIMAL.matcher(name);
            if (m.matches()) {
                return new DecimalType(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
            }
            throw new IllegalArgumentException("unsupported column type '" + name + "'");
        }
        String kind = n.path("type").asText();
        switch (kind) {
            case "struct":
                {
                    List<Field> fields = new ArrayList<>();
                    for (JsonNode f : n.path("fields")) {
                        Object md = Json.toJava(f.get("metadata"));
                        fields.add(
                                new Field(
                                        f.path("name").asText(),
                                        type(f.get("type")),
                                        f.path("nullable").asBoolean(true),
                                        md instanceof Map ? (Map<String, Object>) md : Map.of()));
                    }
                    return new StructType(fields);
                }
            case "array":
                return new ListType(
                        type(n.get("elementType")), n.path("containsNull").asBoolean(true));
            case "map":
                return new MapType(
                        type(n.get("keyType")),
                        type(n.get("valueType")),
                        n.path("valueContainsNull").asBoolean(true));
            default:
                throw new IllegalArgumentException("unsupported column type " + n);
        }
    }
}
