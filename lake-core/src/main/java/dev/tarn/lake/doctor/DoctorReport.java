package dev.tarn.lake.doctor;

import java.util.List;

/**
 * What a doctor run found.
 *
 * @param catalogVersion the catalog version checked against
 * @param objectsChecked how many catalog objects were checked
 * @param findings what is wrong (and, after a repair, whether it was repaired)
 */
public record DoctorReport(long catalogVersion, long objectsChecked, List<Finding> findings) {
    public DoctorReport {
        findings = List.copyOf(findings);
    }

    /** True if nothing is wrong, or everything that was wrong has been repaired. */
    public boolean isClean() {
        return findings.stream().allMatch(Finding::repaired);
    }
}
