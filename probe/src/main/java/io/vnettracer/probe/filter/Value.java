package io.vnettracer.probe.filter;

/**
 * A value of pcap's arithmetic, unsigned 32 bits: {@code len}, a number, a load from a header
 * ({@code tcp[13]}, {@code ip[2:2]}), or an operation on two values. {@link #describe()} prints it
 * back; an operation inside another is put in parentheses, so the text parses back to the same tree.
 */
public sealed interface Value {
    String describe();

    record Constant(long value) implements Value {
        @Override
        public String describe() {
            return Long.toString(value);
        }
    }

    /** {@code len}: the length of the packet as the probe sees it (the whole frame on tc). */
    record PacketLength() implements Value {
        @Override
        public String describe() {
            return "len";
        }
    }

    /** {@code header[offset : size]}, size 1, 2 or 4, read in network byte order. */
    record Load(Header header, Value offset, int size, int column) implements Value {
        @Override
        public String describe() {
            return header.keyword() + "[" + offset.describe() + (size == 1 ? "" : ":" + size) + "]";
        }
    }

    record Arithmetic(Operator operator, Value left, Value right, int column) implements Value {
        @Override
        public String describe() {
            return operand(left) + " " + operator.symbol() + " " + operand(right);
        }

        private static String operand(Value v) {
            return v instanceof Arithmetic || v instanceof Negation ? "(" + v.describe() + ")" : v.describe();
        }
    }

    record Negation(Value operand) implements Value {
        @Override
        public String describe() {
            return "-" + (operand instanceof Arithmetic ? "(" + operand.describe() + ")" : operand.describe());
        }
    }

    enum Operator {
        PLUS("+"), MINUS("-"), TIMES("*"), DIVIDE("/"), MODULO("%"),
        BIT_AND("&"), BIT_OR("|"), BIT_XOR("^"), SHIFT_LEFT("<<"), SHIFT_RIGHT(">>");

        private final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }
}
