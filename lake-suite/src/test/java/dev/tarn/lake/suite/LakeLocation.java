package dev.tarn.lake.suite;

import dev.tarn.lake.Lake;
import dev.tarn.lake.LakeBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A lake's location and the store options that reach it: everything another handle, thread or JVM
 * needs to open the same lake. Closing it removes whatever the backend keeps outside the test's
 * temp directory.
 */
record LakeLocation(
        Backend backend, String location, Map<String, String> storeOptions, Runnable cleanup)
        implements AutoCloseable {
    private static final String LOCATION_PROPERTY = "tarn.suite.lake";
    private static final String OPTION_PREFIX = "tarn.suite.store.";

    LakeLocation {
        storeOptions = Map.copyOf(storeOptions);
    }

    LakeBuilder builder() {
        LakeBuilder b = Lake.builder().location(location);
        storeOptions.forEach(b::storeOption);
        return b;
    }

    Lake open() {
        return builder().open();
    }

    /**
     * JVM options that hand this location to another JVM, which opens it with {@link
     * #openFromSystemProperties}.
     */
    List<String> jvmOptions() {
        List<String> opts = new ArrayList<>();
        opts.add("-D" + LOCATION_PROPERTY + "=" + location);
        storeOptions.forEach((k, v) -> opts.add("-D" + OPTION_PREFIX + k + "=" + v));
        return opts;
    }

    /** In a child JVM: the lake its parent named with {@link #jvmOptions()}. */
    static Lake openFromSystemProperties() {
        Properties p = System.getProperties();
        String location = p.getProperty(LOCATION_PROPERTY);
        if (location == null) {
            throw new IllegalStateException("no -D" + LOCATION_PROPERTY + "=...");
        }
        LakeBuilder b = Lake.builder().location(location).createIfMissing(false);
        for (String name : p.stringPropertyNames()) {
            if (name.startsWith(OPTION_PREFIX)) {
                b.storeOption(name.substring(OPTION_PREFIX.length()), p.getProperty(name));
            }
        }
        return b.open();
    }

    @Override
    public void close() {
        cleanup.run();
    }

    @Override
    public String toString() {
        return location; // store options may hold credentials
    }
}
