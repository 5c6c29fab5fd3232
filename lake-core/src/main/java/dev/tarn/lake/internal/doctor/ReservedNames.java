package dev.tarn.lake.internal.doctor;

import dev.tarn.lake.catalog.Names;
import dev.tarn.lake.doctor.Finding;
import dev.tarn.lake.internal.catalog.CatalogState;
import java.util.ArrayList;
import java.util.List;

/**
 * Zones whose names SQL cannot show (a catalog or schema of the SQL engine, or a keyword): made
 * before such names were refused, or written by hand. SQL leaves them out and says why when a
 * statement names them; doctor names them here. Nothing is repaired: renaming a zone moves every
 * object, which is the operator's decision.
 */
final class ReservedNames {
    private ReservedNames() {}

    static List<Finding> check(CatalogState state) {
        List<Finding> findings = new ArrayList<>();
        for (String zone : state.zones().keySet()) {
            String conflict = Names.sqlConflict(zone);
            if (conflict != null) {
                findings.add(
                        new Finding(
                                Finding.Kind.RESERVED_NAME,
                                zone,
                                "zone "
                                        + conflict
                                        + "; the rest of the lake works, and the zone's objects stay readable through the API and"
                                        + " 'lake cat'; to query them, ingest them into a zone of another name",
                                false));
            }
        }
        return findings;
    }
}
