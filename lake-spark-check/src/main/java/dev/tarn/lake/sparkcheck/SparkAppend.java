package dev.tarn.lake.sparkcheck;

import org.apache.spark.sql.SparkSession;

/**
 * Appends rows to Delta tables with Spark and delta-spark, one append per argument pair, and prints
 * one line per append: {@code appended}, or {@code refused <exception class>: <first line of its
 * message>} when Delta refuses it (a broken CHECK constraint or NOT NULL column). Exits 0 either
 * way; any other failure exits non-zero.
 *
 * <p>Usage: {@code SparkAppend TABLE_PATH QUERY [TABLE_PATH QUERY]...}, each QUERY a Spark SQL
 * query whose result is appended ({@code SELECT CAST(4 AS INT) AS id, -1.5D AS price}).
 */
public final class SparkAppend {
    private SparkAppend() {}

    public static void main(String[] args) {
        if (args.length == 0 || args.length % 2 != 0) {
            System.err.println("usage: SparkAppend TABLE_PATH QUERY [TABLE_PATH QUERY]...");
            System.exit(2);
        }
        SparkSession spark = LocalSpark.start("tarn-spark-append");
        try {
            for (int i = 0; i < args.length; i += 2) {
                try {
                    spark.sql(args[i + 1]).write().format("delta").mode("append").save(args[i]);
                    System.out.println("appended");
                } catch (RuntimeException e) {
                    Throwable t = e;
                    while (t.getCause() != null
                            && !t.getClass().getName().contains("Invariant")
                            && !t.getClass().getName().contains("Constraint")) {
                        t = t.getCause();
                    }
                    String m = String.valueOf(t.getMessage()).replace('\n', ' ');
                    System.out.println("refused " + t.getClass().getName() + ": " + m);
                }
            }
        } finally {
            spark.stop();
        }
    }
}
