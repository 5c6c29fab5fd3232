package dev.tarn.lake.table;

import java.time.Duration;

/**
 * Deletes data files under the table's prefix that no version inside the retention still needs: a
 * file is kept if it is live in the version that was current at (now - retention) or in any later
 * version, or if it was written less than the retention ago (it may belong to a commit in
 * progress). The log itself is never touched.
 */
public interface Vacuum extends dev.tarn.lake.PendingUpdate<VacuumResult> {
    /** Default 7 days. */
    Vacuum retention(Duration retention);

    /**
     * A dry run: the files that would be deleted ({@link VacuumResult#dryRun()} true); deletes
     * nothing.
     */
    @Override
    VacuumResult apply();
}
