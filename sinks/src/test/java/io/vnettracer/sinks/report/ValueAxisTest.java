package io.vnettracer.sinks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ValueAxisTest {
    @Test
    void narrowRangesAreLinearFromZeroWithRoundTicks() {
        ValueAxis axis = ValueAxis.covering(26.4, 58.0, 95.0, Double.NaN);
        assertFalse(axis.logarithmic());
        assertEquals(List.of(0.0, 20.0, 40.0, 60.0, 80.0, 100.0), axis.ticks());
        assertEquals(0.5, axis.fraction(50), 1e-12);
        assertEquals(0.0, axis.fraction(0), 1e-12);
    }

    @Test
    void wideRangesAreLogarithmicOverWholeDecades() {
        ValueAxis axis = ValueAxis.covering(26.4, 13_200);
        assertTrue(axis.logarithmic());
        assertEquals(10, axis.min(), 1e-9);
        assertEquals(100_000, axis.max(), 1e-6);
        assertEquals(List.of(10.0, 100.0, 1_000.0, 10_000.0, 100_000.0), axis.ticks(), "more than 3 decades: powers only");
        assertEquals(0.25, axis.fraction(100), 1e-12);
        assertEquals(0.0, axis.fraction(0), "zero sits at the bottom of a log axis");
    }

    @Test
    void fewDecadesGetTwoAndFiveBetween() {
        ValueAxis axis = ValueAxis.covering(30, 1_500);
        assertEquals(List.of(10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1_000.0, 2_000.0, 5_000.0, 10_000.0), axis.ticks());
    }

    @Test
    void nothingToShowStillMakesAnAxis() {
        ValueAxis axis = ValueAxis.covering(Double.NaN, 0);
        assertFalse(axis.logarithmic());
        assertEquals(1, axis.max(), 1e-12);
    }

    @Test
    void niceSteps() {
        assertEquals(20, ValueAxis.niceStep(19), 1e-9);
        assertEquals(50, ValueAxis.niceStep(21), 1e-9);
        assertEquals(0.1, ValueAxis.niceStep(0.1), 1e-12);
        assertEquals(1000, ValueAxis.niceStep(501), 1e-9);
    }
}
