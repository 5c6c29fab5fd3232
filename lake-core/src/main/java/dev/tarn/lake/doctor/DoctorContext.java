package dev.tarn.lake.doctor;

import static java.util.Objects.requireNonNull;

import dev.tarn.lake.Lake;
import dev.tarn.lake.storage.ObjectStat;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What a {@link DoctorCheck} is handed.
 *
 * @param lake the lake, with the doctor's rights (the caller has been authorized for the run
 *     already)
 * @param listing every object in the store, listed before the catalog was read, in key order
 * @param now the lake clock's instant at the start of the run
 * @param grace how old a leftover must be before repair may remove it
 * @param verify whether to re-hash bytes against recorded checksums
 * @param repair whether to repair what is safe to repair
 */
public record DoctorContext(
        Lake lake,
        List<ObjectStat> listing,
        Instant now,
        Duration grace,
        boolean verify,
        boolean repair) {
    public DoctorContext {
        requireNonNull(lake, "lake is null");
        listing = List.copyOf(requireNonNull(listing, "listing is null"));
        requireNonNull(now, "now is null");
        requireNonNull(grace, "grace is null");
    }

    /** True if something last modified at {@code lastModified} is older than the grace period. */
    public boolean pastGrace(Instant lastModified) {
        return !lastModified.plus(grace).isAfter(now);
    }
}
