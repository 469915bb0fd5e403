package io.vnettracer.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Repeated measurements of one figure: median to quote, min and max to show the noise. */
public final class Samples {
    private final String name;
    private final String unit;
    private final double[] values;
    private int count;

    public Samples(String name, String unit, int capacity) {
        this.name = name;
        this.unit = unit;
        this.values = new double[capacity];
    }

    public void add(double value) {
        values[count++] = value;
    }

    public double median() {
        double[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        return count % 2 == 1 ? sorted[count / 2] : (sorted[count / 2 - 1] + sorted[count / 2]) / 2;
    }

    public double min() {
        return Arrays.stream(values, 0, count).min().orElse(Double.NaN);
    }

    public double max() {
        return Arrays.stream(values, 0, count).max().orElse(Double.NaN);
    }

    public String name() {
        return name;
    }

    String row() {
        return String.format("%-46s %14s %14s %14s  %s", name, fmt(median()), fmt(min()), fmt(max()), unit);
    }

    static String header() {
        return String.format("%-46s %14s %14s %14s  %s", "figure", "median", "min", "max", "unit");
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("unit", unit);
        m.put("median", median());
        m.put("min", min());
        m.put("max", max());
        m.put("repeats", count);
        return m;
    }

    private static String fmt(double v) {
        return v >= 1000 ? String.format("%,.0f", v) : String.format("%.2f", v);
    }
}
