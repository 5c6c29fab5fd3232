package dev.tarn.lake.format.internal.engine;

import dev.tarn.lake.format.internal.infer.TypeAcc;
import dev.tarn.lake.format.internal.read.Src;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The inference side of a {@link Pipeline}: each chunk gets a type accumulator of its own, and
 * finished chunks are folded into their input's accumulator in chunk order as soon as their
 * predecessors are done, so that only the few chunks in flight are held at a time and the result
 * does not depend on which worker finished first.
 */
final class ChunkInference {
    private final TreeMap<Long, TypeAcc> chunkAccs = new TreeMap<>();
    private final Map<TypeAcc, Src> accOwner = new IdentityHashMap<>();
    private final Map<Src, TypeAcc> merged = new IdentityHashMap<>();
    private final Set<Long> doneChunks = new HashSet<>();
    private long nextMerge;

    /** A worker starts inferring chunk {@code seq} of {@code src} into {@code acc}. */
    void chunkStarted(long seq, TypeAcc acc, Src src) {
        synchronized (chunkAccs) {
            chunkAccs.put(seq, acc);
            accOwner.put(acc, src);
        }
    }

    /** A worker is done with chunk {@code seq}. */
    void chunkDone(long seq) {
        synchronized (chunkAccs) {
            doneChunks.add(seq);
            drainInOrder(false);
        }
    }

    /** Sets the merged type accumulator of each input, after the run. */
    void collect(List<Src> srcs) {
        synchronized (chunkAccs) {
            drainInOrder(true);
            for (Src s : srcs) {
                s.acc = merged.get(s);
            }
        }
    }

    /**
     * Called with the chunkAccs lock held: folds finished chunks, in order, into their input's
     * accumulator.
     */
    private void drainInOrder(boolean all) {
        while (true) {
            TypeAcc a = chunkAccs.get(nextMerge);
            if (a == null || (!all && !doneChunks.contains(nextMerge))) {
                if (all && a == null && !chunkAccs.isEmpty()) {
                    nextMerge = chunkAccs.firstKey();
                    continue;
                }
                return;
            }
            chunkAccs.remove(nextMerge);
            doneChunks.remove(nextMerge);
            Src s = accOwner.remove(a);
            TypeAcc m = merged.get(s);
            if (m == null) {
                merged.put(s, a);
            } else {
                m.merge(a);
            }
            nextMerge++;
        }
    }
}
