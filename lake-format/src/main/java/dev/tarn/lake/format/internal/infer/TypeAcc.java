package dev.tarn.lake.format.internal.infer;

import dev.tarn.lake.format.internal.read.Csv;
import dev.tarn.lake.format.internal.read.NumText;
import dev.tarn.lake.format.internal.read.Site;
import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.Field;
import dev.tarn.lake.types.SchemaChange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Accumulates what values of one column look like, to infer its type. Mutable, single-threaded;
 * accumulators of different workers are {@link #merge merged}.
 *
 * <p>Rules (also in docs/format.md): a column is the narrowest type that holds every value exactly.
 * Integers are INTEGER if all fit in 32 bits, else BIGINT if all fit in 64, else DECIMAL(p,0) up to
 * 38 digits, else VARCHAR. Fractions are DOUBLE when every value's nearest double has exactly its
 * value (and integers mixed in are within ±2^53), else DECIMAL(p,s) up to 38 digits, else VARCHAR.
 * Dates, date-times with an offset and date-times without one are DATE, TIMESTAMP WITH TIME ZONE,
 * TIMESTAMP (dates mixed with local date-times give TIMESTAMP). Any other mix of categories
 * (boolean and number, number and text, struct and scalar, ...) is VARCHAR.
 */
public final class TypeAcc {
    // categories, in the order used for examples (alike in layout only to SpillRows' value tags,
    // which number another thing: the two lists change separately)
    static final int BOOL = 0,
            INT32 = 1,
            INT64 = 2,
            BIGINT = 3,
            FRAC = 4,
            FRAC_INEXACT = 5,
            TEXT = 6,
            DATE = 7,
            TS_LOCAL = 8,
            TS_TZ = 9,
            STRUCT = 10,
            LIST = 11,
            CATS = 12;
    private static final String[] CAT_NAMES = {
        "BOOLEAN",
        "INTEGER",
        "BIGINT",
        "HUGEINT",
        "DOUBLE",
        "DECIMAL",
        "VARCHAR",
        "DATE",
        "TIMESTAMP",
        "TIMESTAMP WITH TIME ZONE",
        "STRUCT",
        "LIST"
    };
    static final int MAX_EXAMPLE = 60;

    public final String path;
    public long present; // values seen, null included
    long nulls;
    public int seen; // bit set of categories
    int firstCat = -1;
    final String[] examples = new String[CATS];

    boolean allExactDouble = true;
    int intDigits; // max digits of integers
    boolean allRoundTrip = true;
    int fracIntDigits;
    int fracScale;

    /**
     * Distinct texts among the first {@link #CARD_SAMPLE} (to turn dictionary encoding off for
     * unique ids).
     */
    static final int CARD_SAMPLE = 4096;

    /**
     * Above this share of distinct values in the sample, a column is written without a dictionary.
     */
    static final double DICT_RATIO = 0.5;

    java.util.HashSet<String> distinct;
    int textsSampled;

    public LinkedHashMap<String, TypeAcc> fields;
    public long objects; // struct values seen (for field nullability)
    TypeAcc element;

    TypeAcc(String path) {
        this.path = path;
    }

    public static TypeAcc root() {
        return new TypeAcc("");
    }

    public static TypeAcc root(boolean trackDistinct) {
        TypeAcc a = new TypeAcc("");
        a.trackDistinct = trackDistinct;
        return a;
    }

    /** A JSON string given as ASCII bytes (no escapes): classified without making a String. */
    public void observeAscii(byte[] b, int off, int len, CharSequence view, Site site) {
        int t = Temporal.classify(b, off, len);
        cat(
                t == Temporal.NONE
                        ? TEXT
                        : t == Temporal.DATE ? DATE : t == Temporal.TS_LOCAL ? TS_LOCAL : TS_TZ,
                view,
                site);
    }

    public void observeNull() {
        present++;
        nulls++;
    }

    /**
     * Whether this accumulator samples distinct values (only the first chunk of an input does: that
     * is enough).
     */
    boolean trackDistinct = true;

    private void distinct(CharSequence s) {
        if (trackDistinct && textsSampled < CARD_SAMPLE) {
            if (distinct == null) {
                distinct = new java.util.HashSet<>();
            }
            textsSampled++;
            distinct.add(s.toString());
        }
    }

    private void cat(int c, CharSequence value, Site site) {
        present++;
        if (c != STRUCT && c != LIST) {
            distinct(value);
        }
        if ((seen & (1 << c)) == 0) {
            seen |= 1 << c;
            if (firstCat < 0) {
                firstCat = c;
            }
            if (examples[c] == null) {
                examples[c] = example(value, site);
            }
        }
    }

    private static String example(CharSequence value, Site site) {
        String v = value == null ? "" : value.toString();
        if (v.length() > MAX_EXAMPLE) {
            v = v.substring(0, MAX_EXAMPLE) + "...";
        }
        return v + (site == null ? "" : " at " + site.describe());
    }

    public void observeBool(CharSequence text, Site site) {
        cat(BOOL, text, site);
    }

    /** A number whose text was analysed by {@code n}. */
    public void observeNumber(NumText n, CharSequence text, Site site) {
        if (n.kind == NumText.INTEGER) {
            if (!n.exactDouble) {
                allExactDouble = false;
            }
            if (n.intDigits > intDigits) {
                intDigits = n.intDigits;
            }
            cat(n.fits32 ? INT32 : n.fits64 ? INT64 : BIGINT, text, site);
        } else {
            if (!n.roundTrip) {
                allRoundTrip = false;
            }
            if (n.intDigits > fracIntDigits) {
                fracIntDigits = n.intDigits;
            }
            if (n.scale > fracScale) {
                fracScale = n.scale;
            }
            cat(n.roundTrip ? FRAC : FRAC_INEXACT, text, site);
        }
    }

    /** A JSON string: temporal or text (never a number). */
    public void observeString(CharSequence s, Site site) {
        int t = Temporal.classify(s);
        if (t == Temporal.NONE) {
            text(s, site);
            return;
        }
        cat(t == Temporal.DATE ? DATE : t == Temporal.TS_LOCAL ? TS_LOCAL : TS_TZ, s, site);
    }

    private void text(CharSequence s, Site site) {
        cat(TEXT, s, site);
    }

    /** True when most sampled values were distinct: a dictionary would not pay for itself. */
    boolean highCardinality() {
        return textsSampled >= 1000
                && distinct != null
                && distinct.size() > textsSampled * DICT_RATIO;
    }

    /** A CSV field: boolean, number, temporal or text. */
    public void observeText(CharSequence s, NumText num, Site site) {
        int n = s.length();
        if (n == 0) {
            text(s, site);
            return;
        }
        char c = s.charAt(0);
        if ((c >= '0' && c <= '9') || c == '-') {
            if (num.analyze(s) != NumText.NOT_A_NUMBER) {
                observeNumber(num, s, site);
                return;
            }
            if (c != '-') {
                observeString(s, site);
                return;
            }
        } else if ((n == 4 || n == 5) && isBool(s)) {
            observeBool(s, site);
            return;
        }
        text(s, site);
    }

    static boolean isBool(CharSequence s) {
        return Csv.parseBool(s) != null;
    }

    public TypeAcc beginStruct(Site site) {
        cat(STRUCT, "{...}", site);
        objects++;
        if (fields == null) {
            fields = new LinkedHashMap<>();
        }
        return this;
    }

    /**
     * The accumulator of field {@code name}. Names are matched regardless of case, as columns are:
     * {@code Name} in one record and {@code name} in another are one column, spelled as first seen.
     */
    public TypeAcc field(String name) {
        TypeAcc f = fields.get(name);
        if (f == null) {
            f = otherCase(name);
        }
        if (f == null) {
            f = new TypeAcc(path.isEmpty() ? name : path + "." + name);
            f.trackDistinct = trackDistinct;
            fields.put(name, f);
        }
        return f;
    }

    /**
     * Other spellings of field names seen, by their lower case (only made once a name differs in
     * case).
     */
    private Map<String, String> spellings;

    private TypeAcc otherCase(String name) {
        if (spellings == null) {
            spellings = new java.util.HashMap<>();
            for (String k : fields.keySet()) {
                spellings.putIfAbsent(k.toLowerCase(java.util.Locale.ROOT), k);
            }
        }
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        String first = spellings.putIfAbsent(lower, name);
        if (first == null) {
            return null;
        }
        TypeAcc f = fields.get(first);
        fields.put(name, f); // an alias: later lookups of this spelling are one get
        aliases = aliases == null ? new java.util.HashSet<>() : aliases;
        aliases.add(name);
        return f;
    }

    /**
     * Spellings in {@link #fields} that point at the accumulator of another (the first) spelling.
     */
    public java.util.Set<String> aliases;

    public boolean isAlias(String name) {
        return aliases != null && aliases.contains(name);
    }

    public TypeAcc beginList(Site site) {
        cat(LIST, "[...]", site);
        if (element == null) {
            element = new TypeAcc(path + "[]");
            element.trackDistinct = trackDistinct;
        }
        return element;
    }

    /** Folds {@code o} (a later part of the input) into this. */
    public void merge(TypeAcc o) {
        present += o.present;
        nulls += o.nulls;
        if (firstCat < 0) {
            firstCat = o.firstCat;
        }
        seen |= o.seen;
        for (int c = 0; c < CATS; c++) {
            if (examples[c] == null) {
                examples[c] = o.examples[c];
            }
        }
        allExactDouble &= o.allExactDouble;
        intDigits = Math.max(intDigits, o.intDigits);
        allRoundTrip &= o.allRoundTrip;
        fracIntDigits = Math.max(fracIntDigits, o.fracIntDigits);
        fracScale = Math.max(fracScale, o.fracScale);
        objects += o.objects;
        if (o.distinct != null && textsSampled < CARD_SAMPLE) {
            if (distinct == null) {
                distinct = new java.util.HashSet<>();
            }
            int room = CARD_SAMPLE - textsSampled;
            int take = Math.min(room, o.textsSampled);
            java.util.Iterator<String> it = o.distinct.iterator();
            for (int i = 0; i < take && it.hasNext(); i++) {
                distinct.add(it.next());
            }
            textsSampled += take;
        }
        if (o.fields != null) {
            if (fields == null) {
                fields = new LinkedHashMap<>();
            }
            for (Map.Entry<String, TypeAcc> e : o.fields.entrySet()) {
                if (o.isAlias(e.getKey())) {
                    continue;
                }
                TypeAcc mine = fields.get(e.getKey());
                if (mine == null) {
                    mine = otherCase(e.getKey());
                }
                if (mine == null) {
                    fields.put(e.getKey(), e.getValue());
                } else {
                    mine.merge(e.getValue());
                }
            }
        }
        if (o.element != null) {
            if (element == null) {
                element = o.element;
            } else {
                element.merge(o.element);
            }
        }
    }

    private boolean has(int c) {
        return (seen & (1 << c)) != 0;
    }

    /** The inferred type, or null if only nulls were seen. Unknown nested types become VARCHAR. */
    public DataType resolve() {
        if (seen == 0) {
            return null;
        }
        boolean numeric =
                (seen
                                & ((1 << INT32)
                                        | (1 << INT64)
                                        | (1 << BIGINT)
                                        | (1 << FRAC)
                                        | (1 << FRAC_INEXACT)))
                        != 0;
        boolean temporal = (seen & ((1 << DATE) | (1 << TS_LOCAL) | (1 << TS_TZ))) != 0;
        int groups =
                (has(BOOL) ? 1 : 0)
                        + (numeric ? 1 : 0)
                        + (temporal ? 1 : 0)
                        + (has(TEXT) ? 1 : 0)
                        + (has(STRUCT) ? 1 : 0)
                        + (has(LIST) ? 1 : 0);
        if (groups > 1) {
            return DataType.STRING;
        }
        if (has(STRUCT)) {
            List<Field> fs = new ArrayList<>();
            if (fields != null) {
                for (Map.Entry<String, TypeAcc> e : fields.entrySet()) {
                    if (isAlias(e.getKey())) {
                        continue;
                    }
                    TypeAcc f = e.getValue();
                    DataType t = f.resolve();
                    boolean nullable = f.nulls > 0 || f.present < objects || t == null;
                    fs.add(new Field(e.getKey(), t == null ? DataType.STRING : t, nullable));
                }
            }
            return DataType.struct(fs);
        }
        if (has(LIST)) {
            DataType e = element == null ? null : element.resolve();
            return DataType.list(e == null ? DataType.STRING : e);
        }
        if (has(BOOL)) {
            return DataType.BOOLEAN;
        }
        if (has(TEXT)) {
            return DataType.STRING;
        }
        if (temporal) {
            if (has(TS_TZ)) {
                return has(DATE) || has(TS_LOCAL) ? DataType.STRING : DataType.TIMESTAMP;
            }
            return has(TS_LOCAL) ? DataType.TIMESTAMP_NTZ : DataType.DATE;
        }
        boolean fracs = has(FRAC) || has(FRAC_INEXACT);
        if (!fracs) {
            if (!has(INT64) && !has(BIGINT)) {
                return DataType.INT;
            }
            if (!has(BIGINT)) {
                return DataType.LONG;
            }
            return intDigits <= DataType.MAX_DECIMAL_PRECISION
                    ? DataType.decimal(Math.max(1, intDigits), 0)
                    : DataType.STRING;
        }
        boolean ints = has(INT32) || has(INT64) || has(BIGINT);
        if (allRoundTrip && (!ints || allExactDouble)) {
            return DataType.DOUBLE;
        }
        int whole = Math.max(intDigits, fracIntDigits);
        int p = Math.max(1, whole + fracScale);
        return p <= DataType.MAX_DECIMAL_PRECISION
                ? DataType.decimal(p, fracScale)
                : DataType.STRING;
    }

    /** Dotted Parquet paths of scalar columns (top level and in structs) not worth a dictionary. */
    public void highCardinalityColumns(String prefix, java.util.Set<String> out) {
        if (fields == null) {
            return;
        }
        for (Map.Entry<String, TypeAcc> e : fields.entrySet()) {
            if (isAlias(e.getKey())) {
                continue;
            }
            TypeAcc f = e.getValue();
            String p = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (f.highCardinality()) {
                out.add(p);
            }
            if (f.has(STRUCT)) {
                f.highCardinalityColumns(p, out);
            }
        }
    }

    /** Whether this column (a top-level field) was ever null or absent. */
    boolean nullable(long records) {
        return nulls > 0 || present < records;
    }

    /**
     * Columns whose type is wider than what their first values suggested, with the values that made
     * it so.
     */
    public void collectChanges(DataType resolved, List<SchemaChange> out) {
        if (resolved == null) {
            return;
        }
        if (firstCat >= 0 && Integer.bitCount(seen) > 1) {
            DataType.Kind first = kindOf(firstCat);
            if (first != resolved.kind()) {
                StringBuilder why =
                        new StringBuilder("first values were ")
                                .append(CAT_NAMES[firstCat])
                                .append(" (")
                                .append(examples[firstCat])
                                .append(')');
                int listed = 0;
                for (int c = 0; c < CATS && listed < 3; c++) {
                    if (c != firstCat && has(c) && examples[c] != null) {
                        why.append(listed == 0 ? "; then " : ", ")
                                .append(CAT_NAMES[c])
                                .append(" ")
                                .append(examples[c]);
                        listed++;
                    }
                }
                out.add(new SchemaChange(path, typeOfCat(firstCat), resolved, why.toString()));
            }
        }
        if (resolved.kind() == DataType.Kind.STRUCT && fields != null) {
            for (Field f : resolved.asStruct().fields()) {
                TypeAcc a = fields.get(f.name());
                if (a != null) {
                    a.collectChanges(f.type(), out);
                }
            }
        } else if (resolved.kind() == DataType.Kind.LIST && element != null) {
            element.collectChanges(resolved.asList().element(), out);
        }
    }

    private DataType typeOfCat(int c) {
        switch (c) {
            case BOOL:
                return DataType.BOOLEAN;
            case INT32:
                return DataType.INT;
            case INT64:
                return DataType.LONG;
            case BIGINT:
                return intDigits <= 38
                        ? DataType.decimal(Math.max(1, intDigits), 0)
                        : DataType.STRING;
            case FRAC:
                return DataType.DOUBLE;
            case FRAC_INEXACT:
                return DataType.decimal(
                        Math.min(38, Math.max(1, fracIntDigits + fracScale)),
                        Math.min(fracScale, Math.min(38, Math.max(1, fracIntDigits + fracScale))));
            case DATE:
                return DataType.DATE;
            case TS_LOCAL:
                return DataType.TIMESTAMP_NTZ;
            case TS_TZ:
                return DataType.TIMESTAMP;
            case STRUCT:
                return DataType.struct(List.of());
            case LIST:
                return DataType.list(DataType.STRING);
            default:
                return DataType.STRING;
        }
    }

    private static DataType.Kind kindOf(int c) {
        switch (c) {
            case BOOL:
                return DataType.Kind.BOOLEAN;
            case INT32:
                return DataType.Kind.INT;
            case INT64:
                return DataType.Kind.LONG;
            case BIGINT:
            case FRAC_INEXACT:
                return DataType.Kind.DECIMAL;
            case FRAC:
                return DataType.Kind.DOUBLE;
            case DATE:
                return DataType.Kind.DATE;
            case TS_LOCAL:
                return DataType.Kind.TIMESTAMP_NTZ;
            case TS_TZ:
                return DataType.Kind.TIMESTAMP;
            case STRUCT:
                return DataType.Kind.STRUCT;
            case LIST:
                return DataType.Kind.LIST;
            default:
                return DataType.Kind.STRING;
        }
    }
}
