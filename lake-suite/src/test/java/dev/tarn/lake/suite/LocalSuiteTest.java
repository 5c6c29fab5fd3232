package dev.tarn.lake.suite;

import org.junit.jupiter.api.Nested;

/** The lake suite on a local directory. */
class LocalSuiteTest {
    @Nested
    class IngestAndCatalog extends IngestAndCatalogSuite {
        IngestAndCatalog() {
            super(Backend.LOCAL);
        }
    }

    @Nested
    class Concurrency extends ConcurrencySuite {
        Concurrency() {
            super(Backend.LOCAL);
        }
    }

    @Nested
    class Tables extends TableSuite {
        Tables() {
            super(Backend.LOCAL);
        }
    }

    @Nested
    class Sql extends SqlSuite {
        Sql() {
            super(Backend.LOCAL);
        }
    }
}
