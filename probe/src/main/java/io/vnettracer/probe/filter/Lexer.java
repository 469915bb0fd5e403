package io.vnettracer.probe.filter;

import io.vnettracer.probe.filter.Token.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits an expression into tokens: punctuation and operators, and words. A word is a run of
 * letters, digits and {@code . : / - _}, so that {@code 10.0.0.0/8}, {@code fe80::1} and
 * {@code 1000-2000} are single words, as in pcap. {@code and}, {@code or} and {@code not} become
 * the same tokens as {@code &&}, {@code ||} and {@code !}.
 */
final class Lexer {
    private final String source;
    private int pos;

    Lexer(String source) {
        this.source = source;
    }

    static List<Token> tokenize(String source) {
        return new Lexer(source).tokens();
    }

    List<Token> tokens() {
        List<Token> out = new ArrayList<>();
        while (true) {
            skipSpace();
            if (pos >= source.length()) {
                out.add(new Token(Kind.END, "", pos + 1));
                return out;
            }
            out.add(next());
        }
    }

    private void skipSpace() {
        while (pos < source.length() && Character.isWhitespace(source.charAt(pos))) {
            pos++;
        }
    }

    private Token next() {
        int start = pos;
        char c = source.charAt(pos);
        char following = pos + 1 < source.length() ? source.charAt(pos + 1) : '\0';
        switch (c) {
            case '(': return single(Kind.LPAREN, start);
            case ')': return single(Kind.RPAREN, start);
            case '!': return following == '=' ? pair(Kind.NE, start) : single(Kind.NOT, start);
            case '<': return following == '=' ? pair(Kind.LE, start) : single(Kind.LT, start);
            case '>': return following == '=' ? pair(Kind.GE, start) : single(Kind.GT, start);
            case '=': return following == '=' ? pair(Kind.EQ, start) : single(Kind.EQ, start);
            case '&':
                if (following == '&') {
                    return pair(Kind.AND, start);
                }
                throw unexpected(start, "'&' is not an operator; write '&&' or 'and'");
            case '|':
                if (following == '|') {
                    return pair(Kind.OR, start);
                }
                throw unexpected(start, "'|' is not an operator; write '||' or 'or'");
            default:
                break;
        }
        if (!isWordChar(c)) {
            throw unexpected(start, "unexpected character '" + c + "'");
        }
        while (pos < source.length() && isWordChar(source.charAt(pos))) {
            pos++;
        }
        String word = source.substring(start, pos);
        Kind kind = switch (word) {
            case "and" -> Kind.AND;
            case "or" -> Kind.OR;
            case "not" -> Kind.NOT;
            default -> Kind.WORD;
        };
        return new Token(kind, word, start + 1);
    }

    private Token single(Kind kind, int start) {
        pos = start + 1;
        return new Token(kind, source.substring(start, pos), start + 1);
    }

    private Token pair(Kind kind, int start) {
        pos = start + 2;
        return new Token(kind, source.substring(start, pos), start + 1);
    }

    private FilterException unexpected(int start, String problem) {
        return new FilterException(FilterException.Pass.SYNTAX, source, start + 1,
                String.valueOf(source.charAt(start)), problem);
    }

    static boolean isWordChar(char c) {
        return c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == ':' || c == '/' || c == '-' || c == '_');
    }
}
