package dev.tarn.lake.format.internal.convert;

import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.Field;
import java.util.ArrayList;
import java.util.List;

/**
 * The non-null constraints an explicit schema declares below the top level (fields of structs,
 * elements of lists), laid over the schema the rows are written with. Built only when there is at
 * least one, so rows of schemas without nested constraints are never walked.
 */
public final class Required {
    private final boolean list;

    /** A map: the list's elements are {key, value} entries, the constraint is on the value. */
    private final boolean map;

    private final String path;
    // struct: positions (in the written struct) of required fields, and of children with
    // constraints of their own
    private final int[] required;
    private final String[] requiredPaths;
    private final int[] nested;
    private final Required[] children;
    // list
    private final boolean elementRequired;
    private final Required element;

    private Required(
            boolean list,
            String path,
            int[] required,
            String[] requiredPaths,
            int[] nested,
            Required[] children,
            boolean elementRequired,
            Required element) {
        this(
                list,
                false,
                path,
                required,
                requiredPaths,
                nested,
                children,
                elementRequired,
                element);
    }

    private Required(
            boolean list,
            boolean map,
            String path,
            int[] required,
            String[] requiredPaths,
            int[] nested,
            Required[] children,
            boolean elementRequired,
            Required element) {
        this.list = list;
        this.map = map;
        this.path = path;
        this.required = required;
        this.requiredPaths = requiredPaths;
        this.nested = nested;
        this.children = children;
        this.elementRequired = elementRequired;
        this.element = element;
    }

    /**
     * The constraints of {@code declared} below the top level (top-level fields are checked on
     * their own), located in {@code written}, or null when there are none.
     */
    public static Required nestedOf(DataType declared, DataType written) {
        return struct(declared, written, "", false);
    }

    private static Required of(DataType declared, DataType written, String path) {
        if (declared.kind() == DataType.Kind.STRUCT && written.kind() == DataType.Kind.STRUCT) {
            return struct(declared, written, path, true);
        }
        if (declared.kind() == DataType.Kind.LIST && written.kind() == DataType.Kind.LIST) {
            Required e = of(declared.asList().element(), written.asList().element(), path + "[]");
            boolean req = !declared.asList().elementNullable();
            return req || e != null
                    ? new Required(true, path + "[]", null, null, null, null, req, e)
                    : null;
        }
        if (declared.kind() == DataType.Kind.MAP && written.kind() == DataType.Kind.MAP) {
            Required v = of(declared.asMap().value(), written.asMap().value(), path + "{}");
            boolean req = !declared.asMap().valueNullable();
            return req || v != null
                    ? new Required(true, true, path + "{}", null, null, null, null, req, v)
                    : null;
        }
        return null;
    }

    private static Required struct(DataType declared, DataType written, String path, boolean own) {
        List<Integer> req = new ArrayList<>();
        List<String> reqPaths = new ArrayList<>();
        List<Integer> nest = new ArrayList<>();
        List<Required> kids = new ArrayList<>();
        for (Field d : declared.asStruct().fields()) {
            int i = written.asStruct().indexOf(d.name());
            if (i < 0) {
                continue;
            }
            String p = path.isEmpty() ? d.name() : path + "." + d.name();
            if (own && !d.nullable()) {
                req.add(i);
                reqPaths.add(p);
            }
            Required r = of(d.type(), written.asStruct().fields().get(i).type(), p);
            if (r != null) {
                nest.add(i);
                kids.add(r);
            }
        }
        if (req.isEmpty() && nest.isEmpty()) {
            return null;
        }
        return new Required(
                false,
                path,
                req.stream().mapToInt(Integer::intValue).toArray(),
                reqPaths.toArray(new String[0]),
                nest.stream().mapToInt(Integer::intValue).toArray(),
                kids.toArray(new Required[0]),
                false,
                null);
    }

    /**
     * Throws a misfit naming the path of the first required value that is null in {@code v} (a
     * non-null value).
     */
    public void check(Object v) {
        Object[] a = (Object[]) v;
        if (list) {
            for (Object x : a) {
                Object e = map ? ((Object[]) x)[1] : x;
                if (e == null) {
                    if (elementRequired) {
                        throw BadRecord.misfit(
                                map
                                        ? "required map value \""
                                                + path
                                                + "\" of key \""
                                                + ((Object[]) x)[0]
                                                + "\" is null"
                                        : "required list element \"" + path + "\" is null");
                    }
                } else if (element != null) {
                    element.check(e);
                }
            }
            return;
        }
        for (int k = 0; k < required.length; k++) {
            if (a[required[k]] == null) {
                throw BadRecord.misfit(
                        "required field \"" + requiredPaths[k] + "\" is null or missing");
            }
        }
        for (int k = 0; k < nested.length; k++) {
            Object x = a[nested[k]];
            if (x != null) {
                children[k].check(x);
            }
        }
    }
}
