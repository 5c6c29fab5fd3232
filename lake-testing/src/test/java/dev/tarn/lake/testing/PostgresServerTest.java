package dev.tarn.lake.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL fixture runs a real server from the machine's binaries and cleans up after it
 * (without a JDBC driver: this module has none, so the server is checked over TCP and through its
 * processes).
 */
class PostgresServerTest {
    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void startsOnAFreePortStopsRestartsAndDeletesItsData() throws Exception {
        PostgresServer pg = new PostgresServer();
        try {
            String url = pg.newDatabase();
            Matcher m =
                    Pattern.compile(
                                    "jdbc:postgresql://127\\.0\\.0\\.1:(\\d+)/(tarn_test_\\d+)\\?user=tarn")
                            .matcher(url);
            assertTrue(m.matches(), url);
            int port = Integer.parseInt(m.group(1));
            assertEquals(port, pg.port());
            assertTrue(accepts(port));
            assertTrue(pg.newDatabase().matches(".*/tarn_test_\\d+\\?user=tarn"));
            assertTrue(pg.jdbcUrl().endsWith("/postgres?user=tarn"));

            Path data = pg.dataDirectory();
            assertTrue(Files.isRegularFile(data.resolve("PG_VERSION")));
            pg.stop();
            assertFalse(accepts(port));
            pg.start();
            int again = pg.port();
            assertTrue(accepts(again));

            pg.close();
            assertFalse(accepts(again));
            assertFalse(Files.exists(data), "the data directory is deleted");
        } finally {
            pg.close();
        }
    }

    @Test
    void theBinariesAreFoundWhereDebianPutsThemOrOnThePath() {
        // the machine running this test has PostgreSQL (CI installs it); skip elsewhere
        org.junit.jupiter.api.Assumptions.assumeTrue(
                PostgresServer.findBinaries().isPresent(), "PostgreSQL is not installed");
        Path bin = PostgresServer.findBinaries().get();
        assertTrue(Files.isExecutable(bin.resolve("initdb")));
        assertTrue(Files.isExecutable(bin.resolve("pg_ctl")));
        assertTrue(Files.isExecutable(bin.resolve("createdb")));
    }
}
