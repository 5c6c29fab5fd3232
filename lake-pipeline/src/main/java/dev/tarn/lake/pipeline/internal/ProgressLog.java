package dev.tarn.lake.pipeline.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tarn.lake.exceptions.ErrorCode;
import dev.tarn.lake.exceptions.TarnException;
import dev.tarn.lake.spi.CommitLog;
import dev.tarn.lake.storage.ObjectStat;
import dev.tarn.lake.storage.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * One step's progress: a {@link CommitLog} under {@code _tarn/pipelines/PIPELINE/steps/STEP/}, each
 * entry the step's whole {@link StepState}. Entries are written put-if-absent, so two runners that
 * both think they are the active one cannot both record progress: the second finds the entry taken
 * and stops.
 */
public final class ProgressLog {
    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final CommitLog log;
    private final ObjectStore store;
    private long head = -2; // the newest entry's number as last seen; -2: not looked yet
    private StepState state = StepState.INITIAL;

    public ProgressLog(ObjectStore store, String pipeline, String step) {
        this.store = store;
        this.log = new CommitLog(store, dirOf(pipeline) + "steps/" + step + "/");
    }

    /** Where a pipeline's state lives. */
    public static String dirOf(String pipeline) {
        return "_tarn/pipelines/" + pipeline + "/";
    }

    /** The newest state, read from the store (another runner may have moved it on). */
    public synchronized StepState read() {
        if (head == -2) {
            head = -1;
            for (ObjectStat s : store.list(log.dir())) {
                head = Math.max(head, log.versionOf(s.key()));
            }
            if (head >= 0) {
                state = parse(log.read(head).orElseThrow());
            }
        }
        Optional<byte[]> next;
        while ((next = log.read(head + 1)).isPresent()) {
            head++;
            state = parse(next.get());
        }
        return state;
    }

    /** The number of entries written so far (the log's length as last read). */
    public synchronized long entries() {
        return head + 1;
    }

    /**
     * Records {@code next} as the entry after the one {@link #read} last saw.
     *
     * @throws TarnException (COMMIT_CONFLICT) if another runner wrote that entry first
     */
    public synchronized void write(StepState next) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(next);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!log.tryWrite(head + 1, bytes)) {
            throw new TarnException(
                    ErrorCode.COMMIT_CONFLICT,
                    "another runner recorded progress of "
                            + log.dir()
                            + " first; this one stops (is a second runner active?)");
        }
        head++;
        state = next;
    }

    private StepState parse(byte[] bytes) {
        try {
            return JSON.readValue(bytes, StepState.class);
        } catch (IOException e) {
            throw new TarnException(
                    ErrorCode.CATALOG_DAMAGED,
                    "cannot read a pipeline progress entry under "
                            + log.dir()
                            + ": "
                            + e.getMessage());
        }
    }
}
