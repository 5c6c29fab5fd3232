package dev.tarn.lake.suite;

import dev.tarn.lake.Lake;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every part of the suite shares: the backend it runs on, fresh lake locations, and cleaning
 * up after them. Each part is an abstract class; {@link LocalSuiteTest} and {@link S3SuiteTest} run
 * every part on their backend.
 */
abstract class BackendTest {
    final Backend backend;

    @TempDir Path tmp;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    BackendTest(Backend backend) {
        this.backend = backend;
    }

    /** A location no other test uses, removed after the test. */
    LakeLocation newLocation() {
        LakeLocation l = backend.newLocation(tmp);
        toClose.add(l);
        return l;
    }

    /** A fresh lake, closed (and its location removed) after the test. */
    Lake newLake() {
        return track(newLocation().open());
    }

    /** Closes {@code lake} after the test, before its location is removed. */
    Lake track(Lake lake) {
        toClose.add(lake);
        return lake;
    }

    @AfterEach
    void closeLakesThenRemoveLocations() throws Exception {
        Exception first = null;
        // lakes were opened after their locations: close in reverse order
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        toClose.clear();
        if (first != null) {
            throw first;
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
