package io.vnettracer.probe.filter;

import io.vnettracer.probe.filter.Token.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits an expression into tokens: punctuation and operators, and words. A word starts with a
 * letter, a digit, {@code _}, {@code :} or pcap's escape {@code \} ({@code \tcp}) and goes on
 * with letters, digits and {@code . : - _}, so that {@code fe80::1}, {@code 1000-2000} and
 * {@code tcp-syn} are single words, as in pcap; {@code /} joins a word that is an address so far
 * ({@code 10.0.0.0/8}) and is division elsewhere. Inside {@code [ ]} a {@code :} is the size
 * separator ({@code tcp[2:2]}). {@code and}, {@code or} and {@code not} become the same tokens as
 * {@code &&}, {@code ||} and {@code !}.
 */
final class Lexer {
    private final String source;
    private int pos;
    private int brackets;

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
            case '[':
                brackets++;
                return single(Kind.LBRACKET, start);
            case ']':
                brackets = Math.max(0, brackets - 1);
                return single(Kind.RBRACKET, start);
            case '+': return single(Kind.PLUS, start);
            case '-': return single(Kind.MINUS, start);
            case '*': return single(Kind.TIMES, start);
            case '/': return single(Kind.DIVIDE, start);
            case '%': return single(Kind.MODULO, start);
            case '^': return single(Kind.BIT_XOR, start);
            case '!': return following == '=' ? pair(Kind.NE, start) : single(Kind.NOT, start);
            case '<':
                return following == '=' ? pair(Kind.LE, start) : following == '<' ? pair(Kind.SHIFT_LEFT, start) : single(Kind.LT, start);
            case '>':
                return following == '=' ? pair(Kind.GE, start) : following == '>' ? pair(Kind.SHIFT_RIGHT, start) : single(Kind.GT, start);
            case '=': return following == '=' ? pair(Kind.EQ, start) : single(Kind.EQ, start);
            case '&': return following == '&' ? pair(Kind.AND, start) : single(Kind.BIT_AND, start);
            case '|': return following == '|' ? pair(Kind.OR, start) : single(Kind.BIT_OR, start);
            case ':':
                if (brackets > 0) {
                    return single(Kind.COLON, start);
                }
                break;
            default:
                break;
        }
        if (!isWordStart(c)) {
            throw unexpected(start, "unexpected character '" + c + "'");
        }
        pos++;
        while (pos < source.length() && continuesWord(source.charAt(pos), start)) {
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

    private static boolean isWordStart(char c) {
        return c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == ':' || c == '\\');
    }

    private boolean continuesWord(char c, int start) {
        if (c == ':') {
            return brackets == 0;
        }
        if (c == '/') {
            return brackets == 0 && addressSoFar(start);
        }
        return c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_');
    }

    /** The word from {@code start} to here is digits and dots, or has a colon: a prefix may follow. */
    private boolean addressSoFar(int start) {
        String word = source.substring(start, pos);
        return word.indexOf(':') >= 0 || word.chars().allMatch(ch -> ch == '.' || (ch >= '0' && ch <= '9'));
    }

    /** A character that can be part of a word, for pointing at a whole value in messages. */
    static boolean isWordChar(char c) {
        return c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == ':' || c == '/' || c == '-' || c == '_');
    }
}
