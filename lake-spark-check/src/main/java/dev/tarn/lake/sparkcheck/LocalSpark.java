package dev.tarn.lake.sparkcheck;

import org.apache.spark.sql.SparkSession;

/** The one Spark session the checks run: local, one thread, UTC, Delta's extension and catalog. */
final class LocalSpark {
    private LocalSpark() {}

    static SparkSession start(String appName) {
        return SparkSession.builder()
                .master("local[1]")
                .appName(appName)
                .config("spark.ui.enabled", "false")
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.sql.shuffle.partitions", "1")
                .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                .config(
                        "spark.sql.catalog.spark_catalog",
                        "org.apache.spark.sql.delta.catalog.DeltaCatalog")
                .getOrCreate();
    }
}
