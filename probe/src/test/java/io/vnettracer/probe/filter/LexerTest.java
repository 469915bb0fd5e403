package io.vnettracer.probe.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vnettracer.probe.filter.Token.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

class LexerTest {
    private static List<Kind> kinds(String source) {
        return Lexer.tokenize(source).stream().map(Token::kind).toList();
    }

    @Test
    void addressesNetworksAndRangesAreSingleWords() {
        List<Token> tokens = Lexer.tokenize("net 10.0.0.0/8 or host fe80::1 or portrange 1000-2000");
        assertEquals(List.of("net", "10.0.0.0/8", "or", "host", "fe80::1", "or", "portrange", "1000-2000", ""),
                tokens.stream().map(Token::text).toList());
    }

    @Test
    void wordAndSymbolOperatorsAreTheSameTokens() {
        assertEquals(kinds("a and b or not c"), kinds("a && b || ! c"));
        assertEquals(List.of(Kind.WORD, Kind.AND, Kind.WORD, Kind.OR, Kind.NOT, Kind.WORD, Kind.END), kinds("a and b or not c"));
    }

    @Test
    void comparisonOperators() {
        assertEquals(List.of(Kind.LT, Kind.LE, Kind.GT, Kind.GE, Kind.EQ, Kind.EQ, Kind.NE, Kind.NOT, Kind.END),
                kinds("< <= > >= = == != !"));
        assertEquals(List.of(Kind.WORD, Kind.NE, Kind.WORD, Kind.END), kinds("len!=5"));
    }

    @Test
    void columnsAreOneBasedAndTheEndSitsPastTheLastCharacter() {
        List<Token> tokens = Lexer.tokenize("  (tcp)");
        assertEquals(3, tokens.get(0).column());
        assertEquals(4, tokens.get(1).column());
        assertEquals(7, tokens.get(2).column());
        assertEquals(8, tokens.get(3).column());
    }

    @Test
    void arithmeticAndLoadsAreTokens() {
        assertEquals(List.of(Kind.WORD, Kind.LBRACKET, Kind.WORD, Kind.COLON, Kind.WORD, Kind.RBRACKET, Kind.BIT_AND,
                Kind.LPAREN, Kind.WORD, Kind.BIT_OR, Kind.WORD, Kind.RPAREN, Kind.NE, Kind.WORD, Kind.END),
                kinds("tcp[13:1] & (tcp-syn|tcp-fin) != 0"));
        assertEquals(List.of(Kind.WORD, Kind.PLUS, Kind.WORD, Kind.MINUS, Kind.WORD, Kind.TIMES, Kind.WORD, Kind.DIVIDE,
                Kind.WORD, Kind.MODULO, Kind.WORD, Kind.BIT_XOR, Kind.WORD, Kind.SHIFT_LEFT, Kind.WORD, Kind.SHIFT_RIGHT,
                Kind.WORD, Kind.END), kinds("len + 1 - 2 * 3 / 4 % 5 ^ 6 << 7 >> 8"));
        assertEquals(List.of("ip", "[", "0", "]", "/", "2", ""), Lexer.tokenize("ip[0]/2").stream().map(Token::text).toList());
        assertEquals(List.of("\\tcp", ""), Lexer.tokenize("\\tcp").stream().map(Token::text).toList());
    }

    @Test
    void unexpectedCharacterIsNamed() {
        FilterException e = assertThrows(FilterException.class, () -> Lexer.tokenize("host 10.0.0.1 $ eth0"));
        assertEquals(15, e.column());
        assertEquals("$", e.token());
        assertEquals(FilterException.Pass.SYNTAX, e.pass());
    }

    @Test
    void blankIsJustTheEnd() {
        assertEquals(List.of(Kind.END), kinds("   "));
    }
}
