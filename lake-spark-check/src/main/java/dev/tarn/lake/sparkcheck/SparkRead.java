package dev.tarn.lake.sparkcheck;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads a Delta table with Spark and delta-spark and prints what Spark sees: the first line is the
 * schema as Spark's JSON, then the table's protocol line ({@code protocol <reader> <writer>
 * <readerFeatures> <writerFeatures>}), then one JSON line per row in the order of {@code ORDER BY}
 * the given column. Timestamps print in UTC.
 *
 * <p>Usage: {@code SparkRead TABLE_PATH ORDER_COLUMN}
 */
public final class SparkRead {
    private SparkRead() {}

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: SparkRead TABLE_PATH ORDER_COLUMN");
            System.exit(2);
        }
        SparkSession spark = LocalSpark.start("tarn-spark-check");
        try {
            Dataset<Row> df = spark.read().format("delta").load(args[0]);
            System.out.println(df.schema().json());
            Row p =
                    spark.sql("DESCRIBE DETAIL delta.`" + args[0].replace("`", "``") + "`")
                            .select("minReaderVersion", "minWriterVersion", "tableFeatures")
                            .first();
            System.out.println("protocol " + p.get(0) + " " + p.get(1) + " " + p.getList(2));
            for (String line : df.orderBy(args[1]).toJSON().collectAsList()) {
                System.out.println(line);
            }
        } finally {
            spark.stop();
        }
    }
}
