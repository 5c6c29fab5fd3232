package dev.tarn.lake.table;

import dev.tarn.lake.Lake;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A fresh local lake per test, with the test data writer and the tables of that lake. */
abstract class TableFixture {
    @TempDir Path dir;
    Lake lake;
    TestData data;
    Tables tables;

    @BeforeEach
    void open() {
        lake = Lake.open(dir.resolve("lake"));
        data = new TestData(lake);
        tables = Tables.of(lake);
    }

    @AfterEach
    void close() {
        data.close();
        lake.close();
    }
}
