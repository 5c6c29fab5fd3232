package dev.tarn.lake.table.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tarn.lake.table.DataType;
import dev.tarn.lake.table.Field;
import dev.tarn.lake.table.Schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Delta schema serialization (Spark SQL's JSON schema) to and from {@link Schema}. */
public final class DeltaSchema {
    private static final Pattern DECIMAL = Pattern.compile("decimal\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\)");

    private DeltaSchema() {
    }

    public static String toJson(Schema schema) {
        return Json.write(structNode(schema.fields()));
    }

    public static Schema fromJson(String json) {
        JsonNode n = Json.parse(json);
        DataType t = type(n);
        if (!(t instanceof DataType.Struct s)) {
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
        if (t instanceof DataType.Primitive || t instanceof DataType.Decimal) {
            return Json.MAPPER.getNodeFactory().textNode(t.typeName());
        }
        if (t instanceof DataType.Struct s) {
            return structNode(s.fields());
        }
        if (t instanceof DataType.Array a) {
            ObjectNode o = Json.object();
            o.put("type", "array");
            o.set("elementType", typeNode(a.elementType()));
            o.put("containsNull", a.containsNull());
            return o;
        }
        DataType.MapType m = (DataType.MapType) t;
        ObjectNode o = Json.object();
        o.put("type", "map");
        o.set("keyType", typeNode(m.keyType()));
        o.set("valueType", typeNode(m.valueType()));
        o.put("valueContainsNull", m.valueContainsNull());
        return o;
    }

    @SuppressWarnings("unchecked")
    private static DataType type(JsonNode n) {
        if (n.isTextual()) {
            String name = n.asText();
            DataType.Primitive p = DataType.Primitive.byName(name);
            if (p != null) {
                return p;
            }
            if (name.equals("decimal")) {
                return new DataType.Decimal(10, 0);
            }
            Matcher m = DECIMAL.matcher(name);
            if (m.matches()) {
                return new DataType.Decimal(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
            }
            throw new IllegalArgumentException("unsupported column type '" + name + "'");
        }
        String kind = n.path("type").asText();
        switch (kind) {
            case "struct": {
                List<Field> fields = new ArrayList<>();
                for (JsonNode f : n.path("fields")) {
                    Object md = Json.toJava(f.get("metadata"));
                    fields.add(new Field(f.path("name").asText(), type(f.get("type")),
                            f.path("nullable").asBoolean(true),
                            md instanceof Map ? (Map<String, Object>) md : Map.of()));
                }
                return new DataType.Struct(fields);
            }
            case "array":
                return new DataType.Array(type(n.get("elementType")), n.path("containsNull").asBoolean(true));
            case "map":
                return new DataType.MapType(type(n.get("keyType")), type(n.get("valueType")),
                        n.path("valueContainsNull").asBoolean(true));
            default:
                throw new IllegalArgumentException("unsupported column type " + n);
        }
    }
}
