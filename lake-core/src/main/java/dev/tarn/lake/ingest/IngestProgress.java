package dev.tarn.lake.ingest;

/**
 * Receives progress while an ingest stores bytes. Called from the ingesting thread; keep it cheap.
 */
@FunctionalInterface
public interface IngestProgress {
    /**
     * @param bytesDone bytes stored so far
     * @param bytesTotal bytes to store in all, or -1 if unknown (streams)
     * @param objectsDone objects stored so far
     * @param objectsTotal objects to store in all
     */
    void onProgress(long bytesDone, long bytesTotal, int objectsDone, int objectsTotal);
}
