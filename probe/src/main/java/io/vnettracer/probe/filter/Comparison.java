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

    public boolean holds(long left, long right) {
        return switch (this) {
            case LT -> left < right;
            case LE -> left <= right;
            case GT -> left > right;
            case GE -> left >= right;
            case EQ -> left == right;
            case NE -> left != right;
        };
    }
}
