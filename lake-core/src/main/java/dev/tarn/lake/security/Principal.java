package dev.tarn.lake.security;

import java.util.Objects;

/** Who performs an operation. Every commit records its principal. */
public record Principal(String name) {
    public Principal {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("principal name is blank");
        }
    }

    public static Principal of(String name) {
        return new Principal(name);
    }

    /** The operating-system user running this JVM. */
    public static Principal systemUser() {
        String user = System.getProperty("user.name");
        return new Principal(user == null || user.isBlank() ? "unknown" : user);
    }

    @Override
    public String toString() {
        return name;
    }
}
