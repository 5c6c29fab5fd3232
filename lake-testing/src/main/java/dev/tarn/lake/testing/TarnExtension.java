package dev.tarn.lake.testing;

import dev.tarn.lake.Lake;
import dev.tarn.lake.LakeBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test a fresh lake in a temp directory and removes it afterwards. Use it declaratively,
 * {@code @ExtendWith(TarnExtension.class)} with {@link TempLake} fields or {@code Lake} parameters,
 * or programmatically:
 *
 * <pre>{@code
 * @RegisterExtension
 * static TarnExtension tarn = TarnExtension.withZones("raw", "processed", "ml").keepOnFailure();
 *
 * @Test void trains() { Lake lake = tarn.lake(); ... }
 * }</pre>
 *
 * With {@link #keepOnFailure()}, the lake of a failed test stays on disk and its path is printed,
 * for a look with {@code lake --lake PATH ls}.
 */
public final class TarnExtension
        implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NS =
            ExtensionContext.Namespace.create(TarnExtension.class);
    private static final String LAKES = "lakes";

    private final String[] zones;
    private final boolean keepOnFailure;
    private final ThreadLocal<Lake> current = new ThreadLocal<>();

    /** The declarative form: default zones, lakes always deleted. */
    public TarnExtension() {
        this(new String[0], false);
    }

    private TarnExtension(String[] zones, boolean keepOnFailure) {
        this.zones = zones.clone();
        this.keepOnFailure = keepOnFailure;
    }

    /** An extension whose lakes have these zones. */
    public static TarnExtension withZones(String... zones) {
        return new TarnExtension(zones, false);
    }

    /** The same extension, keeping the lake of a failed test on disk. */
    public TarnExtension keepOnFailure() {
        return new TarnExtension(zones, true);
    }

    /** The current test's lake (the one created for the running test on this thread). */
    public Lake lake() {
        Lake lake = current.get();
        if (lake == null) {
            throw new IllegalStateException(
                    "no lake: call lake() from a test method (or @BeforeEach) of a class"
                            + " that registers this extension");
        }
        return lake;
    }

    private record Opened(Lake lake, Path dir) {}

    @SuppressWarnings("unchecked")
    private static List<Opened> opened(ExtensionContext ctx) {
        return ctx.getStore(NS)
                .getOrComputeIfAbsent(LAKES, k -> new ArrayList<Opened>(), List.class);
    }

    private Lake newLake(ExtensionContext ctx, String[] zoneOverride) {
        Path dir;
        try {
            dir = Files.createTempDirectory("tarn-test-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temp directory for a test lake", e);
        }
        LakeBuilder b = Lake.builder().location(dir);
        String[] z = zoneOverride.length > 0 ? zoneOverride : zones;
        if (z.length > 0) {
            b.zones(z);
        }
        Lake lake = b.open();
        opened(ctx).add(new Opened(lake, dir));
        return lake;
    }

    @Override
    public void beforeEach(ExtensionContext ctx) throws IllegalAccessException {
        Lake main = null;
        for (Object instance : ctx.getRequiredTestInstances().getAllInstances()) {
            for (Class<?> c = instance.getClass();
                    c != null && c != Object.class;
                    c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    TempLake ann = f.getAnnotation(TempLake.class);
                    if (ann == null) {
                        continue;
                    }
                    if (f.getType() != Lake.class || Modifier.isStatic(f.getModifiers())) {
                        throw new IllegalStateException(
                                "@TempLake goes on a non-static field of type Lake: " + f);
                    }
                    f.setAccessible(true);
                    Lake lake = newLake(ctx, ann.zones());
                    f.set(instance, lake);
                    if (main == null) {
                        main = lake;
                    }
                }
            }
        }
        current.set(main != null ? main : newLake(ctx, new String[0]));
    }

    @Override
    public void afterEach(ExtensionContext ctx) {
        current.remove();
        boolean failed = ctx.getExecutionException().isPresent();
        List<Opened> lakes = opened(ctx);
        for (Opened o : lakes) {
            o.lake().close();
            if (failed && keepOnFailure) {
                System.err.println(
                        "[tarn] kept the lake of failed test "
                                + ctx.getDisplayName()
                                + " at "
                                + o.dir());
            } else {
                dev.tarn.lake.spi.FileTrees.deleteTree(o.dir());
            }
        }
        lakes.clear();
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext ctx)
            throws ParameterResolutionException {
        return p.getParameter().getType() == Lake.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext ctx)
            throws ParameterResolutionException {
        TempLake ann = p.findAnnotation(TempLake.class).orElse(null);
        if (ann == null || ann.zones().length == 0) {
            Lake lake = current.get();
            if (lake != null) {
                return lake; // the test's lake: the same one its @TempLake field or tarn.lake()
                // sees
            }
        }
        return newLake(ctx, ann == null ? new String[0] : ann.zones());
    }

    /** The directory of a lake opened by this extension. */
    static Path directoryOf(Lake lake) {
        return Path.of(URI.create(lake.location()));
    }
}
