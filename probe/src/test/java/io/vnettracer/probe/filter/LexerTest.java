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
    void aLoneAmpersandOrBarIsExplained() {
        FilterException e = assertThrows(FilterException.class, () -> Lexer.tokenize("tcp & udp"));
        assertEquals(5, e.column());
        assertEquals("filter error at column 5: '&' is not an operator; write '&&' or 'and'", e.getMessage());
        assertEquals(FilterException.Pass.SYNTAX, e.pass());
        assertEquals("filter error at column 5: '|' is not an operator; write '||' or 'or'",
                assertThrows(FilterException.class, () -> Lexer.tokenize("tcp | udp")).getMessage());
    }

    @Test
    void unexpectedCharacterIsNamed() {
        FilterException e = assertThrows(FilterException.class, () -> Lexer.tokenize("host fe80::1%eth0"));
        assertEquals(13, e.column());
        assertEquals("%", e.token());
    }

    @Test
    void blankIsJustTheEnd() {
        assertEquals(List.of(Kind.END), kinds("   "));
    }
}
