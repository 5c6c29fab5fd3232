package dev.tarn.lake.internal.doctor;

import dev.tarn.lake.catalog.DatasetId;
import dev.tarn.lake.catalog.DatasetKind;
import dev.tarn.lake.catalog.LakeObject;
import dev.tarn.lake.catalog.Names;
import dev.tarn.lake.doctor.Doctor;
import dev.tarn.lake.doctor.DoctorReport;
import dev.tarn.lake.doctor.Finding;
import dev.tarn.lake.exceptions.CatalogDamagedException;
import dev.tarn.lake.exceptions.ObjectNotFoundException;
import dev.tarn.lake.internal.LakeContext;
import dev.tarn.lake.internal.catalog.CatalogState;
import dev.tarn.lake.internal.catalog.DatasetEntry;
import dev.tarn.lake.security.Privilege;
import dev.tarn.lake.storage.ObjectStat;
import dev.tarn.lake.storage.ObjectStore;
import dev.tarn.lake.storage.PendingWrite;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Compares what the store holds with what the catalog says. The store is listed before the catalog
 * is read, so an ingest that commits while the doctor looks is seen as committed, not as an
 * unreferenced object.
 */
public final class DoctorOperation implements Doctor {
    private final LakeContext lake;
    private Duration grace = Duration.ofHours(1);
    private boolean verify = true;

    public DoctorOperation(LakeContext lake) {
        this.lake = lake;
    }

    @Override
    public Doctor grace(Duration grace) {
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace period is negative");
        }
        this.grace = Objects.requireNonNull(grace, "grace");
        return this;
    }

    @Override
    public Doctor verifyChecksums(boolean verify) {
        this.verify = verify;
        return this;
    }

    @Override
    public DoctorReport check() {
        lake.authorize(Privilege.READ, "lake");
        return run(false);
    }

    @Override
    public DoctorReport repair() {
        lake.authorize(Privilege.ADMIN, "lake");
        return run(true);
    }

    /**
     * What Tarn itself writes under {@code _tarn/}: catalog log entries, checkpoints and the
     * checkpoint hint.
     */
    private static final java.util.regex.Pattern CATALOG_FILE =
            java.util.regex.Pattern.compile(
                    "_tarn/catalog/(log/\\d{20}\\.json|checkpoints/\\d{20}\\.ndjson|_last_checkpoint|_last_commit|damaged/.+)"
                            // the state modules keep beside the catalog: pipelines' progress logs
                            // and the leases of their runners
                            + "|_tarn/(pipelines|leases)/.+");

    private DoctorReport run(boolean repair) {
        ObjectStore store = lake.store();
        Instant now = lake.clock().instant();
        List<PendingWrite> pending = store.pendingWrites();
        List<ObjectStat> listed = store.list("");
        // The catalog's own files first, each read on its own, so that damage is reported rather
        // than fatal.
        CatalogScan scan = CatalogScan.read(store, listed);
        List<Finding> findings = new ArrayList<>();
        if (repair && !scan.healthy()) {
            findings.addAll(
                    new CatalogRecovery(store, scan, listed, now, lake.principal().name()).run());
            listed = store.list("");
            CatalogScan after = CatalogScan.read(store, listed);
            after.referenced.addAll(scan.referenced);
            scan = after;
        } else {
            findings.addAll(scan.findings());
        }
        Set<String> referenced = scan.referenced;
        boolean logDamaged = scan.logDamaged();
        CatalogState state;
        try {
            state = lake.catalogLog().refresh();
        } catch (CatalogDamagedException e) {
            state = scan.beforeDamage; // checked as far as the log reads; what lies past the damage
            // is kept
            logDamaged = true;
        }
        Map<String, ObjectStat> byKey = new HashMap<>();
        for (ObjectStat s : listed) {
            byKey.put(s.key(), s);
        }
        for (ObjectStat s : listed) {
            String key = s.key();
            if (key.startsWith(Names.RESERVED_PREFIX + "/")) {
                if (!CATALOG_FILE.matcher(key).matches()) {
                    findings.add(
                            new Finding(
                                    Finding.Kind.STRAY_FILE,
                                    key,
                                    "in the catalog's directory, but not a"
                                            + " file Tarn writes (left by an S3-compatible server that crashed mid-write, or put"
                                            + " there by hand); the catalog ignores it and doctor leaves it alone",
                                    false));
                }
                continue; // the catalog's own files
            }
            String[] parts = key.split("/", 3);
            if (parts.length < 3 || !state.zones().containsKey(parts[0])) {
                findings.add(
                        new Finding(
                                Finding.Kind.STRAY_FILE,
                                key,
                                "a file outside any zone's datasets; Tarn did not write it and leaves it alone",
                                false));
                continue;
            }
            DatasetEntry d =
                    Names.isValid(parts[1])
                            ? state.dataset(DatasetId.of(parts[0], parts[1])).orElse(null)
                            : null;
            if (d != null && d.objects().containsKey(parts[2])) {
                continue;
            }
            if (d != null && d.info().kind().equals(DatasetKind.TABLE.id())) {
                continue; // a table's files are referenced by its own log, which the table layer
                // checks
            }
            if (d == null && Names.isValid(parts[1])) {
                var dropped = state.dropped().get(DatasetId.of(parts[0], parts[1]));
                if (dropped != null && dropped.kind().equals(DatasetKind.TABLE.id())) {
                    continue; // a dropped table's files: its own log names them; they stay until
                    // 'lake purge'
                }
            }
            if (referenced.contains(key)) {
                continue; // named by an entry past the damage or by a checkpoint: never a leftover
            }
            if (logDamaged) {
                // A lost entry may have referenced it: keep its bytes until the log is whole again.
                findings.add(
                        new Finding(
                                Finding.Kind.UNREFERENCED_OBJECT,
                                key,
                                "no readable catalog line"
                                        + " references it, but the catalog log is damaged and a lost entry may have; kept (it is"
                                        + " recorded in a recovery entry when 'lake doctor --repair' can rebuild the log)",
                                false));
                continue;
            }
            boolean old = !s.lastModified().plus(grace).isAfter(now);
            boolean removed = repair && old && store.delete(key);
            findings.add(
                    new Finding(
                            Finding.Kind.UNREFERENCED_OBJECT,
                            key,
                            "no catalog entry references it (a writer stopped between storing and committing)"
                                    + (removed
                                            ? "; removed"
                                            : old
                                                    ? "; 'lake doctor --repair' removes it"
                                                    : "; younger than the grace period, so an ingest may still be committing it"),
                            removed));
        }
        long checked = 0;
        for (DatasetEntry d : state.datasets().values()) {
            for (LakeObject o : d.objects().values()) {
                checked++;
                ObjectStat s = byKey.get(o.key());
                if (s == null) {
                    s = store.stat(o.key()).orElse(null); // written while the listing ran
                }
                if (s == null) {
                    findings.add(
                            new Finding(
                                    Finding.Kind.MISSING_OBJECT,
                                    o.key(),
                                    "the catalog lists it but its bytes are gone; re-ingest it from "
                                            + o.source(),
                                    false));
                } else if (s.size() != o.size()) {
                    findings.add(
                            new Finding(
                                    Finding.Kind.SIZE_MISMATCH,
                                    o.key(),
                                    "stored size "
                                            + s.size()
                                            + " differs from the recorded "
                                            + o.size()
                                            + "; the object was changed behind the lake",
                                    false));
                } else if (verify) {
                    String actual = sha256(store, o.key());
                    if (actual != null && !actual.equals(o.sha256())) {
                        findings.add(
                                new Finding(
                                        Finding.Kind.CHECKSUM_MISMATCH,
                                        o.key(),
                                        "bytes hash to "
                                                + actual
                                                + ", the catalog recorded "
                                                + o.sha256()
                                                + "; the object was changed behind the lake",
                                        false));
                    }
                }
            }
        }
        for (PendingWrite p : pending) {
            boolean abandoned = !p.ownerAlive() || !p.startedAt().plus(grace).isAfter(now);
            if (!abandoned) {
                continue; // a write in progress right now is not a problem
            }
            boolean removed = false;
            if (repair) {
                store.abandon(p);
                removed = true;
            }
            findings.add(
                    new Finding(
                            Finding.Kind.LEFTOVER_TEMP,
                            p.id(),
                            "an unfinished write of "
                                    + p.size()
                                    + " bytes"
                                    + (p.ownerAlive()
                                            ? " older than the grace period"
                                            : " whose process is gone")
                                    + (removed
                                            ? "; removed"
                                            : "; 'lake doctor --repair' removes it"),
                            removed));
        }
        findings.addAll(ReservedNames.check(state));
        // Checks of other modules (the tables' logs and files), found on the class path.
        dev.tarn.lake.doctor.DoctorContext context =
                new dev.tarn.lake.doctor.DoctorContext(
                        lake.trusted(), listed, now, grace, verify, repair);
        for (dev.tarn.lake.doctor.DoctorCheck check :
                java.util.ServiceLoader.load(
                        dev.tarn.lake.doctor.DoctorCheck.class,
                        DoctorOperation.class.getClassLoader())) {
            try {
                findings.addAll(check.run(context));
            } catch (CatalogDamagedException e) {
                // A check that needs the catalog cannot run while it is damaged; the damage is
                // reported above.
                findings.add(
                        new Finding(
                                Finding.Kind.UNRECOVERABLE,
                                check.name(),
                                "the '"
                                        + check.name()
                                        + "' check could not run because the catalog log is damaged; repair the catalog first",
                                false));
            }
        }
        return new DoctorReport(Math.max(state.version(), scan.top), checked, findings);
    }

    private static String sha256(ObjectStore store, String key) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[1 << 16];
        try (InputStream in = store.get(key)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        } catch (ObjectNotFoundException e) {
            return null; // removed meanwhile
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + key, e);
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
