package dev.tarn.lake.format.internal.convert;

import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.Field;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link DataType} prepared for fast conversion: field lookup by name, child plans. Immutable,
 * shared.
 */
public final class Plan {
    public final DataType type;
    public final DataType.Kind kind;
    public final String path;
    public final String[] names;
    public final Plan[] children;
    final Map<String, Integer> index;
    public final Plan element;

    public Plan(DataType type, String path) {
        this.type = type;
        this.kind = type.kind();
        this.path = path;
        if (kind == DataType.Kind.STRUCT) {
            List<Field> fs = type.asStruct().fields();
            names = new String[fs.size()];
            children = new Plan[fs.size()];
            index = new HashMap<>(fs.size() * 2);
            for (int i = 0; i < fs.size(); i++) {
                names[i] = fs.get(i).name();
                children[i] =
                        new Plan(
                                fs.get(i).type(),
                                path.isEmpty() ? names[i] : path + "." + names[i]);
                index.put(names[i], i);
            }
            element = null;
        } else {
            names = null;
            children = null;
            index = null;
            element =
                    kind == DataType.Kind.LIST
                            ? new Plan(type.asList().element(), path + "[]")
                            : kind == DataType.Kind.MAP
                                    ? new Plan(type.asMap().value(), path + "{}")
                                    : null;
        }
    }

    private byte[][] nameBytes;

    /** Field names as UTF-8, for byte-level matching. */
    public byte[][] nameBytes() {
        byte[][] nb = nameBytes;
        if (nb == null) {
            nb = new byte[names.length][];
            for (int i = 0; i < names.length; i++) {
                nb[i] = names[i].getBytes(java.nio.charset.StandardCharsets.UTF_8);
            }
            nameBytes = nb;
        }
        return nb;
    }

    /**
     * The field called {@code name}: the exact spelling, else regardless of case (as columns
     * match); -1 if none.
     */
    public int indexOf(String name) {
        Integer i = index.get(name);
        if (i != null) {
            return i;
        }
        for (int k = 0; k < names.length; k++) {
            if (names[k].equalsIgnoreCase(name)) {
                return k;
            }
        }
        return -1;
    }

    public String describe() {
        return path.isEmpty() ? "record" : "field \"" + path + "\"";
    }
}
