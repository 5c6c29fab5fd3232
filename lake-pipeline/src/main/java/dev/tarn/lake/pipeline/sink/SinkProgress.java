package dev.tarn.lake.pipeline.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * A JDBC target's own record of what each sink sent, {@value #TABLE}: (send_id, target) -> the
 * version, its row count and time. It is written in the transaction that writes the rows, so the
 * record and the rows commit together or not at all.
 */
final class SinkProgress {
    static final String TABLE = "tarn_sink_progress";

    /** The record's table, quoted and qualified as the target's. */
    private final String table;

    SinkProgress(String table) {
        this.table = table;
    }

    void create(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate(
                    "CREATE TABLE IF NOT EXISTS "
                            + table
                            + " (send_id VARCHAR(300) NOT NULL, target VARCHAR(300) NOT NULL,"
                            + " version BIGINT NOT NULL, row_count BIGINT NOT NULL,"
                            + " sent_at VARCHAR(40) NOT NULL, PRIMARY KEY (send_id, target))");
        }
    }

    OptionalLong recorded(Connection c, String sendId, String targetName) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT version FROM " + table + " WHERE send_id = ? AND target = ?")) {
            ps.setString(1, sendId);
            ps.setString(2, targetName);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    /**
     * Records the version sent. The update names the version read at the start: a concurrent send
     * that recorded first makes it change nothing, and this send rolls back rather than write its
     * rows twice.
     */
    void record(
            Connection c,
            String sendId,
            String targetName,
            OptionalLong recorded,
            long version,
            long rows)
            throws SQLException {
        // both statements take (version, row_count, sent_at, send_id, target) in this order
        String sql =
                recorded.isPresent()
                        ? "UPDATE "
                                + table
                                + " SET version = ?, row_count = ?, sent_at = ?"
                                + " WHERE send_id = ? AND target = ? AND version = ?"
                        : "INSERT INTO "
                                + table
                                + " (version, row_count, sent_at, send_id, target)"
                                + " VALUES (?, ?, ?, ?, ?)";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, version);
            ps.setLong(2, rows);
            ps.setString(3, Instant.now().toString());
            ps.setString(4, sendId);
            ps.setString(5, targetName);
            if (recorded.isPresent()) {
                ps.setLong(6, recorded.getAsLong());
            }
            if (ps.executeUpdate() != 1) {
                throw new SQLException("another send of '" + sendId + "' recorded a version first");
            }
        }
    }
}
