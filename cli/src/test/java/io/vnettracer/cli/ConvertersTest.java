package io.vnettracer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class ConvertersTest {
    @Test
    void durations() {
        DurationConverter c = new DurationConverter();
        assertEquals(Duration.ofMillis(500), c.convert("500ms"));
        assertEquals(Duration.ofSeconds(10), c.convert("10s"));
        assertEquals(Duration.ofSeconds(10), c.convert("10"));
        assertEquals(Duration.ofMinutes(5), c.convert("5m"));
        assertEquals(Duration.ofHours(1), c.convert("1h"));
        assertThrows(TypeConversionException.class, () -> c.convert("0s"));
        assertThrows(TypeConversionException.class, () -> c.convert("-1s"));
        assertThrows(TypeConversionException.class, () -> c.convert("1d"));
    }

    @Test
    void ringSizes() {
        RingSizeConverter c = new RingSizeConverter();
        assertEquals(16 << 20, c.convert("16M"));
        assertEquals(256 << 10, c.convert("256k"));
        assertEquals(1 << 30, c.convert("1G"));
        assertEquals(4096, c.convert("4096"));
        assertThrows(TypeConversionException.class, () -> c.convert("3M"));
        assertThrows(TypeConversionException.class, () -> c.convert("2K"));
        assertThrows(TypeConversionException.class, () -> c.convert("2G"));
        assertThrows(TypeConversionException.class, () -> c.convert("big"));
    }
}
