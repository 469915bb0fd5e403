package io.vnettracer.sinks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FiguresTest {
    @Test
    void timesHaveThreeSignificantDigitsAndTheirUnit() {
        assertEquals("0.951 µs", Figures.micros(0.951));
        assertEquals("26.4 µs", Figures.micros(26.4));
        assertEquals("180 µs", Figures.micros(180));
        assertEquals("2.54 ms", Figures.micros(2_540));
        assertEquals("13.2 ms", Figures.micros(13_200));
        assertEquals("1.20 s", Figures.micros(1_200_000));
        assertEquals("2.30 ms", Figures.nanos(2_300_000));
        assertEquals("—", Figures.micros(Double.NaN));
    }

    @Test
    void differencesAreSigned() {
        assertEquals("+3.15 ms", Figures.signedMicros(3_150));
        assertEquals("−4.10 µs", Figures.signedMicros(-4.1));
    }

    @Test
    void ticksAreRound() {
        assertEquals("10 µs", Figures.tick(10));
        assertEquals("1 ms", Figures.tick(1_000));
        assertEquals("2.5 ms", Figures.tick(2_500));
        assertEquals("0.2 µs", Figures.tick(0.2));
    }

    @Test
    void sharesCountsAndRates() {
        assertEquals("99.8%", Figures.percent(0.998));
        assertEquals("<0.1%", Figures.percent(0.0004));
        assertEquals("0.0%", Figures.percent(0));
        assertEquals("20,000", Figures.count(20_000));
        assertEquals("6.55 Mb/s", Figures.bitsPerSecond(6.55e6));
    }

    @Test
    void coordinatesKeepOneDecimal() {
        assertEquals("12", Figures.coordinate(12.04));
        assertEquals("12.3", Figures.coordinate(12.345));
    }

    @Test
    void textOnAColorIsWhateverReadsBetter() {
        assertEquals("#111", Palette.textOn("#edc948"));
        assertEquals("#fff", Palette.textOn("#1d2330"));
    }
}
