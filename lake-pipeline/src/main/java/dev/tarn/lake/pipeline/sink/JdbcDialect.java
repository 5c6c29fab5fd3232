package dev.tarn.lake.pipeline.sink;

import dev.tarn.lake.types.DataType;
import dev.tarn.lake.types.DecimalType;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * How one kind of database spells the type model's columns and takes their values. SQLite and
 * PostgreSQL have their own; other databases get ANSI types (a table created beforehand with the
 * database's own types is used as it is).
 */
enum JdbcDialect {
    /**
     * SQLite: exact values as text (decimals, dates and timestamps in ISO form, which SQLite's date
     * functions read; UTC timestamps end in {@code Z}), integers and booleans as INTEGER.
     */
    SQLITE {
        @Override
        String columnType(DataType type) {
            return switch (type.kind()) {
                case BOOLEAN -> "BOOLEAN";
                case BYTE, SHORT, INT, LONG -> "INTEGER";
                case FLOAT, DOUBLE -> "REAL";
                case BINARY -> "BLOB";
                // TEXT keeps decimals exact: a NUMERIC column would turn them into doubles
                case DECIMAL, STRING, DATE, TIMESTAMP, TIMESTAMP_NTZ, STRUCT, LIST, MAP -> "TEXT";
            };
        }

        @Override
        Object bindable(DataType type, Object v) {
            if (v instanceof Boolean b) {
                return b ? 1 : 0;
            } else if (v instanceof BigDecimal d) {
                return d.toPlainString();
            } else if (v instanceof LocalDate d) {
                return d.toString();
            } else if (v instanceof LocalDateTime t) {
                return WALL_CLOCK.format(t);
            } else if (v instanceof OffsetDateTime t) {
                return WALL_CLOCK.format(t.toLocalDateTime()) + "Z";
            }
            return v;
        }
    },

    /** PostgreSQL: its own types, nested values as {@code jsonb}. */
    POSTGRESQL(
            "boolean",
            "smallint",
            "integer",
            "bigint",
            "real",
            "double precision",
            "numeric",
            "text",
            "bytea",
            "date",
            "timestamptz",
            "timestamp",
            "jsonb") {
        @Override
        String placeholder(DataType type) {
            // JSON text becomes jsonb in the statement: the driver sends strings as varchar
            return SinkRows.isNested(type) ? "CAST(? AS jsonb)" : "?";
        }
    },

    /** Any other database: ANSI types, values bound as JDBC 4.2 objects. */
    GENERIC(
            "BOOLEAN",
            "SMALLINT",
            "INTEGER",
            "BIGINT",
            "REAL",
            "DOUBLE PRECISION",
            "DECIMAL",
            "VARCHAR(4000)",
            "BLOB",
            "DATE",
            "TIMESTAMP WITH TIME ZONE",
            "TIMESTAMP",
            "VARCHAR(4000)");

    private static final DateTimeFormatter WALL_CLOCK =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS", Locale.ROOT);

    /** The dialect of a JDBC URL. */
    static JdbcDialect of(String url) {
        if (url.startsWith("jdbc:sqlite:")) {
            return SQLITE;
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        return GENERIC;
    }

    /** Type names by kind, for the dialects that spell each kind with one name. */
    private final String[] names;

    JdbcDialect() {
        this.names = null;
    }

    JdbcDialect(
            String bool,
            String small,
            String integer,
            String big,
            String real,
            String dbl,
            String decimal,
            String text,
            String binary,
            String date,
            String zoned,
            String naive,
            String json) {
        this.names =
                new String[] {
                    bool, small, integer, big, real, dbl, decimal, text, binary, date, zoned, naive,
                    json
                };
    }

    /** The column type a created table gets for {@code type}. */
    String columnType(DataType type) {
        int i =
                switch (type.kind()) {
                    case BOOLEAN -> 0;
                    case BYTE, SHORT -> 1;
                    case INT -> 2;
                    case LONG -> 3;
                    case FLOAT -> 4;
                    case DOUBLE -> 5;
                    case DECIMAL -> 6;
                    case STRING -> 7;
                    case BINARY -> 8;
                    case DATE -> 9;
                    case TIMESTAMP -> 10;
                    case TIMESTAMP_NTZ -> 11;
                    case STRUCT, LIST, MAP -> 12;
                };
        if (i == 6) {
            DecimalType d = type.asDecimal();
            return names[i] + "(" + d.precision() + "," + d.scale() + ")";
        }
        return names[i];
    }

    /** The value placeholder of a column in INSERT statements. */
    String placeholder(DataType type) {
        return "?";
    }

    /** The value as this database takes it. */
    Object bindable(DataType type, Object v) {
        return v;
    }

    /** Binds one row's values to an INSERT's parameters. */
    void bind(PreparedStatement ps, List<DataType> types, Object[] row) throws SQLException {
        for (int i = 0; i < row.length; i++) {
            DataType type = types.get(i);
            Object v = row[i];
            if (v == null) {
                ps.setNull(i + 1, sqlType(type));
            } else if (v instanceof byte[] b) {
                ps.setBytes(i + 1, b);
            } else if (v instanceof Byte b) {
                ps.setShort(i + 1, b);
            } else {
                ps.setObject(i + 1, bindable(type, v));
            }
        }
    }

    /** The java.sql.Types code of a null of this type. */
    int sqlType(DataType type) {
        return switch (type.kind()) {
            case BOOLEAN -> this == SQLITE ? Types.INTEGER : Types.BOOLEAN;
            case BYTE, SHORT -> Types.SMALLINT;
            case INT -> Types.INTEGER;
            case LONG -> Types.BIGINT;
            case FLOAT -> Types.REAL;
            case DOUBLE -> Types.DOUBLE;
            case DECIMAL -> this == SQLITE ? Types.VARCHAR : Types.NUMERIC;
            case BINARY -> this == POSTGRESQL ? Types.BINARY : Types.BLOB;
            case DATE -> this == SQLITE ? Types.VARCHAR : Types.DATE;
            case TIMESTAMP -> this == SQLITE ? Types.VARCHAR : Types.TIMESTAMP_WITH_TIMEZONE;
            case TIMESTAMP_NTZ -> this == SQLITE ? Types.VARCHAR : Types.TIMESTAMP;
            case STRING, STRUCT, LIST, MAP -> Types.VARCHAR;
        };
    }
}
