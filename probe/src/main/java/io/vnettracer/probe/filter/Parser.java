package io.vnettracer.probe.filter;

import io.vnettracer.event.PacketKeyLayout;
import io.vnettracer.probe.filter.Expr.And;
import io.vnettracer.probe.filter.Expr.IpFamily;
import io.vnettracer.probe.filter.Expr.Length;
import io.vnettracer.probe.filter.Expr.Net;
import io.vnettracer.probe.filter.Expr.Not;
import io.vnettracer.probe.filter.Expr.Or;
import io.vnettracer.probe.filter.Expr.Port;
import io.vnettracer.probe.filter.Expr.Transport;
import io.vnettracer.probe.filter.Token.Kind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Recursive descent over the tokens, with pcap's precedence: {@code not} binds tightest;
 * {@code and} and {@code or} bind equally and group from the left, so {@code a or b and c} is
 * {@code (a or b) and c}, exactly as tcpdump reads it.
 *
 * <pre>
 * expression := unary (("and" | "or") unary)*
 * unary      := "not" unary | "(" expression ")" | primitive
 * primitive  := ("ip" | "ip6" | "tcp" | "udp" | "icmp" | "icmp6") [qualified]
 *             | qualified
 *             | "len" ("&lt;" | "&lt;=" | "&gt;" | "&gt;=" | "=" | "==" | "!=") NUMBER
 *             | "less" NUMBER | "greater" NUMBER
 * qualified  := ["src" | "dst"] ("host" ADDRESS | "net" NETWORK ["mask" ADDRESS]
 *                                | "port" NUMBER | "portrange" NUMBER "-" NUMBER | ADDRESS)
 *             | ADDRESS
 * </pre>
 * A protocol followed by a qualified primitive ({@code tcp port 80}) is the two joined by
 * {@code and}. Values are read here (numbers, address syntax); their ranges are the checker's.
 *
 * <p>The length, the number of primitives and the nesting of {@code (} and {@code not} are held to
 * {@link FilterLimits} here, before they can grow the recursion or the tree.
 */
final class Parser {
    private static final Set<String> TYPES = Set.of("host", "net", "port", "portrange");
    /** Names people write for ports in tcpdump filters; named in the error to explain the refusal. */
    private static final Set<String> SERVICE_NAMES = Set.of("http", "https", "ssh", "domain", "dns", "ftp", "ftp-data",
            "telnet", "smtp", "ntp", "snmp", "bgp", "ldap", "imap", "pop3", "mysql", "postgresql");
    private static final String PRIMITIVES =
            "a primitive (host, net, port, portrange, src, dst, ip, ip6, tcp, udp, icmp, icmp6, len, less, greater), 'not' or '('";

    private final String source;
    private final List<Token> tokens;
    private int index;
    private int primitives;
    private int nesting;
    /** The depth of each operator node built so far; a leaf's is 1. */
    private final Map<Expr, Integer> depths = new IdentityHashMap<>();

    private Parser(String source) {
        this.source = source;
        this.tokens = Lexer.tokenize(source);
    }

    /** Parses an expression; a blank one is {@link Expr.MatchAll}. */
    static Expr parse(String source) {
        if (source.length() > FilterLimits.MAX_LENGTH) {
            throw new FilterException(FilterException.Pass.LIMIT, source, FilterLimits.MAX_LENGTH + 1, "",
                    "the expression is " + source.length() + " characters long, over the limit of " + FilterLimits.MAX_LENGTH
                            + "; cover more addresses with 'net' prefixes and more ports with 'portrange'");
        }
        Parser p = new Parser(source);
        if (p.peek().kind() == Kind.END) {
            return new Expr.MatchAll();
        }
        Expr e = p.expression();
        Token rest = p.peek();
        if (rest.kind() != Kind.END) {
            String hint = rest.kind() == Kind.RPAREN ? " (this ')' has no matching '(')" : "";
            throw p.error(rest, "expected 'and', 'or' or the end of the expression, found " + rest.quoted() + hint);
        }
        return e;
    }

    private Token peek() {
        return tokens.get(index);
    }

    private Token peekAfter() {
        return tokens.get(Math.min(index + 1, tokens.size() - 1));
    }

    private Token advance() {
        Token t = tokens.get(index);
        if (t.kind() != Kind.END) {
            index++;
        }
        return t;
    }

    /**
     * A chain of operands. Each run of one operator becomes a balanced tree of it (both are
     * associative, and the tests still run left to right), so a chain of 1000 {@code or} is 10
     * levels deep, not 1000; where the operator changes, the run so far becomes the first operand
     * of the next, as pcap groups it.
     */
    private Expr expression() {
        Expr first = unary();
        if (peek().kind() != Kind.AND && peek().kind() != Kind.OR) {
            return first;
        }
        Kind runOperator = peek().kind();
        List<Expr> run = new ArrayList<>();
        spread(first, runOperator, run);
        while (peek().kind() == Kind.AND || peek().kind() == Kind.OR) {
            Token op = advance();
            if (op.kind() != runOperator) {
                Expr grouped = balanced(runOperator, run, op);
                run = new ArrayList<>();
                run.add(grouped);
                runOperator = op.kind();
            }
            spread(unary(), runOperator, run);
        }
        return balanced(runOperator, run, peek());
    }

    /** Adds {@code e} to a run of {@code operator}; a parenthesized run of the same operator joins it. */
    private static void spread(Expr e, Kind operator, List<Expr> run) {
        boolean same = operator == Kind.AND ? e instanceof And : e instanceof Or;
        if (!same) {
            run.add(e);
            return;
        }
        Deque<Expr> pending = new ArrayDeque<>();
        pending.push(e);
        while (!pending.isEmpty()) {
            Expr next = pending.pop();
            switch (next) {
                case And(Expr l, Expr r) when operator == Kind.AND -> {
                    pending.push(r);
                    pending.push(l);
                }
                case Or(Expr l, Expr r) when operator == Kind.OR -> {
                    pending.push(r);
                    pending.push(l);
                }
                default -> run.add(next);
            }
        }
    }

    /** Joins a run pairwise, level by level, keeping its order; refuses a tree deeper than the limit. */
    private Expr balanced(Kind operator, List<Expr> run, Token at) {
        List<Expr> level = run;
        while (level.size() > 1) {
            List<Expr> joined = new ArrayList<>((level.size() + 1) / 2);
            for (int i = 0; i + 1 < level.size(); i += 2) {
                Expr l = level.get(i);
                Expr r = level.get(i + 1);
                Expr node = operator == Kind.AND ? new And(l, r) : new Or(l, r);
                int d = 1 + Math.max(depth(l), depth(r));
                if (d > FilterLimits.MAX_NESTING) {
                    throw tooDeep(at);
                }
                depths.put(node, d);
                joined.add(node);
            }
            if (level.size() % 2 == 1) {
                joined.add(level.get(level.size() - 1));
            }
            level = joined;
        }
        return level.get(0);
    }

    /** A node's depth; an {@code and} not built here joins a protocol to the primitive after it: 2. */
    private int depth(Expr e) {
        return depths.getOrDefault(e, e instanceof And ? 2 : 1);
    }

    private FilterException tooDeep(Token at) {
        return limit(at, "the expression is more than " + FilterLimits.MAX_NESTING + " levels deep, the limit: each '('"
                + " and 'not' is a level, so is each change between 'and' and 'or' (it groups all before it), and a chain"
                + " of N primitives takes log2(N)");
    }

    private Expr unary() {
        Token t = peek();
        if (t.kind() == Kind.NOT || t.kind() == Kind.LPAREN) {
            if (nesting == FilterLimits.MAX_NESTING) {
                throw limit(t, "'(' and 'not' are nested more than " + FilterLimits.MAX_NESTING
                        + " levels deep, the limit; 'not not' cancels out, and 'and'/'or' chains need no parentheses");
            }
            nesting++;
            Expr e = nested(t);
            nesting--;
            return e;
        }
        return primitive();
    }

    /** {@code not unary} or {@code ( expression )}, one level deeper. */
    private Expr nested(Token t) {
        if (t.kind() == Kind.NOT) {
            advance();
            Expr inner = unary();
            Not not = new Not(inner);
            int d = 1 + depth(inner);
            if (d > FilterLimits.MAX_NESTING) {
                throw tooDeep(t);
            }
            depths.put(not, d);
            return not;
        }
        advance();
        if (peek().kind() == Kind.RPAREN) {
            throw error(peek(), "expected an expression inside '(' ')', found ')'");
        }
        Expr inner = expression();
        Token close = peek();
        if (close.kind() != Kind.RPAREN) {
            throw error(close, "expected ')' to close the '(' at column " + t.column() + ", found " + close.quoted());
        }
        advance();
        return inner;
    }

    /** Counts one primitive starting at {@code t}; refuses the one past the limit. */
    private void countPrimitive(Token t) {
        if (++primitives > FilterLimits.MAX_PRIMITIVES) {
            throw limit(t, "more than " + FilterLimits.MAX_PRIMITIVES + " primitives (host, net, port, tcp, ...; 'tcp port 80'"
                    + " is two), the limit; cover more addresses with 'net' prefixes and more ports with 'portrange'");
        }
    }

    private Expr primitive() {
        Token t = peek();
        if (t.kind() != Kind.WORD) {
            throw error(t, "expected " + PRIMITIVES + ", found " + t.quoted());
        }
        countPrimitive(t);
        switch (t.text()) {
            case "ip", "ip6" -> {
                advance();
                Expr family = new IpFamily(t.text().equals("ip") ? PacketKeyLayout.FAMILY_IPV4 : PacketKeyLayout.FAMILY_IPV6);
                return startsQualified(peek()) ? new And(family, joinedQualified()) : family;
            }
            case "tcp", "udp", "icmp", "icmp6" -> {
                advance();
                Expr transport = new Transport(Protocol.byKeyword(t.text()));
                return startsQualified(peek()) ? new And(transport, joinedQualified()) : transport;
            }
            case "len" -> {
                advance();
                return length();
            }
            case "less", "greater" -> {
                advance();
                long n = number(advance(), "a length after '" + t.text() + "'");
                return new Length(t.text().equals("less") ? Comparison.LE : Comparison.GE, n, tokens.get(index - 1).column());
            }
            default -> {
                if (startsQualified(t)) {
                    return qualified();
                }
                if (Address.looksNumeric(t.text())) {
                    return qualified();
                }
                throw error(t, "expected " + PRIMITIVES + ", found " + t.quoted()
                        + (looksLikeHostName(t.text()) ? " (host names are not resolved: write a numeric address after 'host')" : ""));
            }
        }
    }

    private static boolean startsQualified(Token t) {
        return t.kind() == Kind.WORD && (TYPES.contains(t.text()) || t.text().equals("src") || t.text().equals("dst"));
    }

    /** A qualified primitive joined to the protocol before it ({@code tcp port 80}): one more primitive. */
    private Expr joinedQualified() {
        countPrimitive(peek());
        return qualified();
    }

    private Expr qualified() {
        Direction direction = Direction.EITHER;
        Token t = peek();
        if (t.isWord("src") || t.isWord("dst")) {
            advance();
            direction = t.text().equals("src") ? Direction.SRC : Direction.DST;
            Token type = peek();
            if (!(type.kind() == Kind.WORD && (TYPES.contains(type.text()) || Address.looksNumeric(type.text())))) {
                throw error(type, "expected 'host', 'net', 'port', 'portrange' or an address after '" + t.text()
                        + "', found " + type.quoted());
            }
        }
        Token type = peek();
        if (type.kind() == Kind.WORD && Address.looksNumeric(type.text())) {
            return host(direction, advance(), "an address");
        }
        advance();
        return switch (type.text()) {
            case "host" -> host(direction, advance(), "an address after 'host'");
            case "net" -> net(direction);
            case "port" -> {
                Token value = advance();
                long port = number(value, "a port number after 'port'");
                yield new Port(direction, port, port, value.column());
            }
            case "portrange" -> portRange(direction);
            default -> throw new IllegalStateException("not a type keyword: " + type.text());
        };
    }

    private Net host(Direction direction, Token value, String what) {
        Address a = address(value, what);
        return new Net(direction, a, a.bitLength(), value.column());
    }

    private Net net(Direction direction) {
        Token value = advance();
        String text = value.text();
        int slash = value.kind() == Kind.WORD ? text.indexOf('/') : -1;
        if (slash >= 0) {
            Address network = address(value, text.substring(0, slash), "a network (as 10.0.0.0/8 or 2001:db8::/32) after 'net'");
            String prefix = text.substring(slash + 1);
            if (prefix.isEmpty() || prefix.length() > 3 || !prefix.chars().allMatch(Character::isDigit)) {
                throw error(value, "expected a prefix length after '/' in " + value.quoted() + ", found '" + prefix + "'");
            }
            return new Net(direction, network, Integer.parseInt(prefix), value.column());
        }
        Address network = address(value, "a network (as 10.0.0.0/8 or 2001:db8::/32) after 'net'");
        if (!peek().isWord("mask")) {
            return new Net(direction, network, network.bitLength(), value.column());
        }
        Token maskKeyword = advance();
        if (!network.isIpv4()) {
            throw error(maskKeyword, "'mask' applies to IPv4 networks only; write " + network + "/N");
        }
        Token maskToken = advance();
        Address mask = address(maskToken, "a netmask (as 255.255.0.0) after 'mask'");
        if (!mask.isIpv4()) {
            throw error(maskToken, "expected an IPv4 netmask after 'mask', found " + maskToken.quoted());
        }
        int prefixLength = mask.asPrefixLength();
        if (prefixLength < 0) {
            throw error(maskToken, "netmask " + maskToken.quoted() + " has a hole: its one bits must come first");
        }
        return new Net(direction, network, prefixLength, value.column());
    }

    private Port portRange(Direction direction) {
        Token value = advance();
        String what = "a port range (as 1000-2000) after 'portrange'";
        if (value.kind() != Kind.WORD) {
            throw error(value, "expected " + what + ", found " + value.quoted());
        }
        String[] ends = value.text().split("-", -1);
        if (ends.length != 2 || !isDigits(ends[0]) || !isDigits(ends[1])) {
            throw error(value, "expected " + what + ", found " + value.quoted());
        }
        return new Port(direction, parseNumber(ends[0]), parseNumber(ends[1]), value.column());
    }

    private Length length() {
        Token op = advance();
        Comparison comparison = switch (op.kind()) {
            case LT -> Comparison.LT;
            case LE -> Comparison.LE;
            case GT -> Comparison.GT;
            case GE -> Comparison.GE;
            case EQ -> Comparison.EQ;
            case NE -> Comparison.NE;
            default -> throw error(op, "expected a comparison (<, <=, >, >=, =, !=) after 'len', found " + op.quoted());
        };
        Token value = advance();
        return new Length(comparison, number(value, "a length after 'len " + op.text() + "'"), value.column());
    }

    private long number(Token t, String what) {
        if (t.kind() != Kind.WORD || !isDigits(t.text())) {
            String hint = t.kind() == Kind.WORD && SERVICE_NAMES.contains(t.text())
                    ? " (service names are not looked up: write the number)" : "";
            throw error(t, "expected " + what + ", found " + t.quoted() + hint);
        }
        return parseNumber(t.text());
    }

    private Address address(Token t, String what) {
        return address(t, t.kind() == Kind.WORD ? t.text() : null, what);
    }

    private Address address(Token t, String text, String what) {
        if (t.kind() != Kind.WORD || text == null || text.isEmpty()) {
            throw error(t, "expected " + what + ", found " + t.quoted());
        }
        if (!Address.looksNumeric(text)) {
            throw error(t, "expected " + what + ", found " + t.quoted()
                    + ": only numeric IPv4 or IPv6 addresses are accepted, host names are not resolved");
        }
        try {
            return Address.parse(text);
        } catch (IllegalArgumentException e) {
            throw error(t, "expected " + what + ", found " + t.quoted() + ": " + e.getMessage());
        }
    }

    private static boolean isDigits(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** Digits to a value; anything too long for a long is clamped so the checker reports it out of range. */
    private static long parseNumber(String digits) {
        return digits.length() > 18 ? Long.MAX_VALUE : Long.parseLong(digits);
    }

    private static boolean looksLikeHostName(String text) {
        return text.indexOf('.') > 0 && Character.isLetter(text.charAt(0));
    }

    private FilterException limit(Token at, String problem) {
        return new FilterException(FilterException.Pass.LIMIT, source, at.column(), at.text(), problem);
    }

    private FilterException error(Token at, String problem) {
        return new FilterException(FilterException.Pass.SYNTAX, source, at.column(), at.kind() == Kind.END ? "end of expression" : at.text(), problem);
    }
}
