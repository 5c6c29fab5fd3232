package dev.tarn.lake.doctor;

import java.util.List;

/**
 * A check the doctor runs besides its own look at the catalog: the table layer checks every table's
 * log and data files this way, without lake-core knowing what a table is. Implementations are found
 * with {@link java.util.ServiceLoader} (a {@code
 * META-INF/services/dev.tarn.lake.doctor.DoctorCheck} file in the module that provides them), so a
 * lake without lake-table on its class path is checked for what it has.
 *
 * <p>A check must never delete bytes that any log entry references, before or after a gap, also
 * when repairing.
 */
public interface DoctorCheck {
    /** A short name for reports and errors, such as {@code "tables"}. */
    String name();

    /**
     * Looks at the lake (and repairs what is safe to repair when {@link DoctorContext#repair()} is
     * true) and returns what it found, repaired or not.
     */
    List<Finding> run(DoctorContext context);
}
