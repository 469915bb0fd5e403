package io.vnettracer.probe.filter;

/** The relations between two values ({@code len > 100}, {@code tcp[13] & 2 != 0}). */
public enum Comparison {
    LT("<"), LE("<="), GT(">"), GE(">="), EQ("="), NE("!=");

    private final String symbol;

    Comparison(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }
}
