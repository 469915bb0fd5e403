package io.vnettracer.probe.filter;

/** The relations {@code len} can be compared with. */
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
