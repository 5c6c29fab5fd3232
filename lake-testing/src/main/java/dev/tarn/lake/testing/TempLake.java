package dev.tarn.lake.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@link dev.tarn.lake.Lake} field or parameter that {@link TarnExtension} fills with a
 * fresh lake in a temp directory for each test, and deletes after it.
 *
 * <pre>{@code
 * @ExtendWith(TarnExtension.class)
 * class ClicksTest {
 *     @TempLake Lake lake;
 *
 *     @Test void ingests() { lake.ingest("raw/clicks").bytes(data, "a.ndjson").commit(); ... }
 * }
 * }</pre>
 *
 * A parameter of type {@code Lake} gets a lake even without the annotation.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.PARAMETER})
public @interface TempLake {
    /** The zones of the lake; empty means Tarn's defaults (raw, processed, analytics). */
    String[] zones() default {};
}
