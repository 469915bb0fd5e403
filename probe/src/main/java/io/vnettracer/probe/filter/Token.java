package io.vnettracer.probe.filter;

/** One token of a filter expression and the 1-based column of its first character. */
record Token(Kind kind, String text, int column) {
    enum Kind {
        /** A keyword, number, address, network or port range: the parser decides which by place. */
        WORD,
        LPAREN, RPAREN,
        AND, OR, NOT,
        LT, LE, GT, GE, EQ, NE,
        /** Byte-offset expressions and their arithmetic: {@code tcp[13:1] & 0x12}. */
        LBRACKET, RBRACKET, COLON,
        PLUS, MINUS, TIMES, DIVIDE, MODULO, BIT_AND, BIT_OR, BIT_XOR, SHIFT_LEFT, SHIFT_RIGHT,
        END
    }

    boolean isWord(String word) {
        return kind == Kind.WORD && text.equals(word);
    }

    /** How an error message quotes it. */
    String quoted() {
        return kind == Kind.END ? "end of expression" : "'" + text + "'";
    }
}
