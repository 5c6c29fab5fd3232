package dev.tarn.lake.suite;

import org.junit.jupiter.api.Nested;

/** The lake suite on S3: s3proxy in this JVM, a bucket per lake, lakes under a prefix. */
class S3SuiteTest {
    @Nested
    class IngestAndCatalog extends IngestAndCatalogSuite {
        IngestAndCatalog() {
            super(Backend.S3);
        }
    }

    @Nested
    class Concurrency extends ConcurrencySuite {
        Concurrency() {
            super(Backend.S3);
        }
    }

    @Nested
    class Tables extends TableSuite {
        Tables() {
            super(Backend.S3);
        }
    }

    @Nested
    class Sql extends SqlSuite {
        Sql() {
            super(Backend.S3);
        }
    }
}
