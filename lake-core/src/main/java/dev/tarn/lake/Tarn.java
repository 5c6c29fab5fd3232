package dev.tarn.lake;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Facts about this build of Tarn. */
public final class Tarn {
    /** The version of the library, e.g. {@code 0.1.0}. */
    public static final String VERSION = readVersion();

    /** How Tarn names itself in commit records. */
    public static final String ENGINE = "Tarn/" + VERSION;

    private Tarn() {}

    private static String readVersion() {
        try (InputStream in = Tarn.class.getResourceAsStream("/dev/tarn/lake/tarn.properties")) {
            if (in == null) {
                return "dev";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }
}
