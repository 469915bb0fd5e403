package io.vnettracer.probe.filter;

import io.vnettracer.event.PacketKeyLayout;
import io.vnettracer.probe.filter.Expr.And;
import io.vnettracer.probe.filter.Expr.EtherHost;
import io.vnettracer.probe.filter.Expr.EtherType;
import io.vnettracer.probe.filter.Expr.IpFamily;
import io.vnettracer.probe.filter.Expr.Net;
import io.vnettracer.probe.filter.Expr.Not;
import io.vnettracer.probe.filter.Expr.Or;
import io.vnettracer.probe.filter.Expr.Port;
import io.vnettracer.probe.filter.Expr.Proto;
import io.vnettracer.probe.filter.Expr.Relation;
import io.vnettracer.probe.filter.Expr.Transport;
import io.vnettracer.probe.filter.Expr.Vlan;
import io.vnettracer.probe.filter.Token.Kind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Recursive descent over the tokens, with pcap's precedence: {@code not} binds tightest;
 * {@code and} and {@code or} bind equally and group from the left, so {@code a or b and c} is
 * {@code (a or b) and c}, exactly as tcpdump reads it.
 *
 * <pre>
 * expression := unary (("and" | "or") unary)*
 * unary      := "not" unary | "(" expression ")" | primitive
 * primitive  := [protocol] [direction] [type] VALUE      (tcp dst port 80, src 10.0.0.1, ether host M)
 *             | protocol                                 (tcp, ip6, arp)
 *             | VALUE                                    (only after a qualified primitive: port 1 or 2)
 *             | arithmetic relation arithmetic           (tcp[13] &amp; 2 != 0, len &gt; 100)
 *             | "less" N | "greater" N | "vlan" [N] | [ether|ip|ip6] ("broadcast" | "multicast")
 * protocol   := ether | link | ip | ip6 | arp | rarp | tcp | udp | sctp | icmp | icmp6 | igmp
 * direction  := src | dst | src or dst | src and dst     (either order)
 * type       := host | net | port | portrange | proto
 * arithmetic := operand (("|" | "^" | "&amp;" | "&lt;&lt;" | "&gt;&gt;" | "+" | "-" | "*" | "/" | "%") operand)*
 * operand    := N | NAME | "len" | header "[" arithmetic [":" (1|2|4)] "]" | "(" arithmetic ")" | "-" operand
 * </pre>
 * As in pcap, a value alone after {@code and}, {@code or} or {@code not} takes over the qualifiers
 * of the last qualified primitive ({@code host a and not b} is {@code host a and not host b});
 * with none to take over it is refused, as tcpdump refuses {@code 10.0.0.1} alone. A qualified
 * primitive with a protocol ({@code tcp port 80}) is the two joined by {@code and}. A {@code (}
 * starts a value of arithmetic when what follows parses as a relation ({@code (tcp[13] & 2) != 0}),
 * and a group of primitives otherwise. Values are read here; their ranges are the checker's.
 *
 * <p>The length, the number of primitives and the nesting of {@code (} and {@code not} are held to
 * {@link FilterLimits} here, before they can grow the recursion or the tree.
 */
final class Parser {
    private static final Set<String> TYPES = Set.of("host", "net", "port", "portrange", "proto");
    private static final Set<String> DIRECTIONS = Set.of("src", "dst");
    private static final Set<String> PROTOCOLS = Set.of("ether", "link", "ip", "ip6", "arp", "rarp", "tcp", "udp", "sctp",
            "icmp", "icmp6", "igmp");
    private static final Set<String> PORT_PROTOCOLS = Set.of("tcp", "udp", "sctp");
    private static final Set<String> ADDRESS_PROTOCOLS = Set.of("ip", "ip6", "arp", "rarp");
    /** The names pcap gives protocols after {@code proto}, escaped as {@code \tcp}: the protocols' own keywords. */
    private static final Map<String, Integer> IP_PROTOCOLS = java.util.Arrays.stream(Protocol.values())
            .collect(java.util.stream.Collectors.toUnmodifiableMap(Protocol::keyword, Protocol::number));
    private static final Map<String, Integer> ETHER_TYPES = Map.of("ip", Header.ETHERTYPE_IP, "ip6", Header.ETHERTYPE_IP6,
            "arp", Header.ARP.etherType(), "rarp", Header.RARP.etherType());
    /** pcap-filter(7)'s named offsets and flag values. */
    static final Map<String, Integer> NAMED_CONSTANTS = Map.ofEntries(
            Map.entry("tcpflags", 13), Map.entry("tcp-fin", 0x01), Map.entry("tcp-syn", 0x02), Map.entry("tcp-rst", 0x04),
            Map.entry("tcp-push", 0x08), Map.entry("tcp-ack", 0x10), Map.entry("tcp-urg", 0x20), Map.entry("tcp-ece", 0x40),
            Map.entry("tcp-cwr", 0x80),
            Map.entry("icmptype", 0), Map.entry("icmpcode", 1), Map.entry("icmp-echoreply", 0), Map.entry("icmp-unreach", 3),
            Map.entry("icmp-sourcequench", 4), Map.entry("icmp-redirect", 5), Map.entry("icmp-echo", 8),
            Map.entry("icmp-routeradvert", 9), Map.entry("icmp-routersolicit", 10), Map.entry("icmp-timxceed", 11),
            Map.entry("icmp-paramprob", 12), Map.entry("icmp-tstamp", 13), Map.entry("icmp-tstampreply", 14),
            Map.entry("icmp-ireq", 15), Map.entry("icmp-ireqreply", 16), Map.entry("icmp-maskreq", 17),
            Map.entry("icmp-maskreply", 18),
            Map.entry("icmp6type", 0), Map.entry("icmp6code", 1), Map.entry("icmp6-destinationunreach", 1),
            Map.entry("icmp6-packettoobig", 2), Map.entry("icmp6-timeexceeded", 3), Map.entry("icmp6-parameterproblem", 4),
            Map.entry("icmp6-echo", 128), Map.entry("icmp6-echoreply", 129), Map.entry("icmp6-multicastlistenerquery", 130),
            Map.entry("icmp6-multicastlistenerreportv1", 131), Map.entry("icmp6-multicastlistenerdone", 132),
            Map.entry("icmp6-routersolicit", 133), Map.entry("icmp6-routeradvert", 134), Map.entry("icmp6-neighborsolicit", 135),
            Map.entry("icmp6-neighboradvert", 136), Map.entry("icmp6-redirect", 137));
    private static final String PRIMITIVES = "a primitive (host, net, port, portrange, proto, src, dst, ether, ip, ip6, arp,"
            + " tcp, udp, sctp, icmp, icmp6, vlan, len, less, greater, a load such as tcp[13]), 'not' or '('";

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

    /** {@code not unary} or {@code ( expression )}, one level deeper; a {@code (} may start a relation instead. */
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
        Expr relation = relationInParentheses();
        if (relation != null) {
            return relation;
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

    /**
     * Reads {@code (arithmetic) OP ...} if that is what follows, or returns null with nothing
     * consumed: pcap's grammar lets a {@code (} open either, and only what follows tells them apart.
     */
    private Expr relationInParentheses() {
        int savedIndex = index;
        int savedPrimitives = primitives;
        int savedNesting = nesting;
        Qualifiers savedInherited = inherited;
        // The '(' was counted by unary(); the relation reads it again as an operand, which counts it.
        nesting--;
        try {
            countPrimitive(peek());
            Relation r = relation();
            inherited = null;
            nesting = savedNesting;
            return r;
        } catch (FilterException e) {
            index = savedIndex;
            primitives = savedPrimitives;
            nesting = savedNesting;
            inherited = savedInherited;
            if (e.pass() == FilterException.Pass.LIMIT) {
                throw e;
            }
            return null;
        }
    }

    /** Counts one primitive starting at {@code t}; refuses the one past the limit. */
    private void countPrimitive(Token t) {
        if (++primitives > FilterLimits.MAX_PRIMITIVES) {
            throw limit(t, "more than " + FilterLimits.MAX_PRIMITIVES + " primitives (host, net, port, tcp, ...; 'tcp port 80'"
                    + " is two), the limit; cover more addresses with 'net' prefixes and more ports with 'portrange'");
        }
    }

    /**
     * The qualifiers of the last qualified primitive, which a bare value after {@code and},
     * {@code or} or {@code not} takes over as in pcap ({@code port 1 or 2}); null after a
     * primitive that leaves none to take ({@code tcp}, {@code len > 5}, {@code vlan}).
     */
    private record Qualifiers(String protocol, Direction direction, String type) {}

    private Qualifiers inherited;

    private Expr primitive() {
        Token t = peek();
        if (startsRelation()) {
            countPrimitive(t);
            Expr relation = relation();
            inherited = null;
            return relation;
        }
        if (t.kind() != Kind.WORD) {
            throw error(t, "expected " + PRIMITIVES + ", found " + t.quoted());
        }
        countPrimitive(t);
        switch (t.text()) {
            case "less", "greater" -> {
                advance();
                Token value = advance();
                long n = number(value, "a length after '" + t.text() + "'");
                if (n > Checker.MAX_VALUE) {
                    throw new FilterException(FilterException.Pass.CHECK, source, value.column(), value.text(),
                            "the length " + value.text() + " does not fit in 32 bits");
                }
                inherited = null;
                return new Relation(new Value.PacketLength(), t.text().equals("less") ? Comparison.LE : Comparison.GE,
                        new Value.Constant(n), value.column());
            }
            case "vlan" -> {
                advance();
                inherited = null;
                if (peek().kind() == Kind.WORD && isNumber(peek().text())) {
                    Token id = advance();
                    return new Vlan(number(id, "a VLAN id"), id.column());
                }
                return new Vlan(Vlan.ANY, t.column());
            }
            case "broadcast", "multicast" -> {
                advance();
                inherited = null;
                return t.text().equals("broadcast") ? etherBroadcast(t) : etherMulticast(t);
            }
            default -> {
                if (PROTOCOLS.contains(t.text()) || DIRECTIONS.contains(t.text()) || TYPES.contains(t.text())) {
                    return qualified();
                }
                if (inherited != null) {
                    return withQualifiers(inherited, advance());
                }
                throw error(t, "expected " + PRIMITIVES + ", found " + t.quoted() + bareValueHint(t.text()));
            }
        }
    }

    private static String bareValueHint(String text) {
        if (looksLikeHostName(text)) {
            return " (host names are not resolved: write a numeric address after 'host')";
        }
        if (Address.looksNumeric(text)) {
            return " (as in tcpdump, a value alone takes the qualifiers of the primitive before it, and there is none"
                    + " here: write 'host " + text + "' or 'port " + text + "')";
        }
        return "";
    }

    /** {@code [protocol] [direction] [type] VALUE}, or a protocol alone ({@code tcp}, {@code ip6}). */
    private Expr qualified() {
        String protocol = null;
        Token protocolToken = null;
        if (PROTOCOLS.contains(peek().text())) {
            protocolToken = advance();
            protocol = protocolToken.text().equals("link") ? "ether" : protocolToken.text();
        }
        Direction direction = direction();
        Token typeToken = peek();
        String type = null;
        if (typeToken.kind() == Kind.WORD && TYPES.contains(typeToken.text())) {
            advance();
            type = typeToken.text();
        }
        if (protocol != null && direction == null && type == null) {
            Expr special = protocolSpecial(protocol, protocolToken);
            if (special != null) {
                inherited = null;
                return special;
            }
            // pcap's grammar has no "protocol VALUE" ('ip 10.0.0.1', 'ether 0:1:2:3:4:5'): the
            // protocol stands alone, and the value after it is then refused as a second primitive.
            inherited = null;
            return protocolAlone(protocol, protocolToken);
        }
        Token value = peek();
        if (!startsValue(value)) {
            String after = type != null ? typeToken.text() : tokens.get(index - 1).text();
            String expected = type == null ? "'host', 'net', 'port', 'portrange' or an address" : switch (type) {
                case "host" -> "an address";
                case "net" -> "a network (as 10.0.0.0/8 or 2001:db8::/32)";
                case "port" -> "a port number";
                case "portrange" -> "a port range (as 1000-2000)";
                default -> "a protocol number";
            };
            throw error(value, "expected " + expected + " after '" + after + "', found " + value.quoted());
        }
        Qualifiers q = new Qualifiers(protocol, direction == null ? Direction.EITHER : direction, type);
        inherited = q;
        return withQualifiers(q, advance());
    }

    private static boolean startsValue(Token t) {
        return t.kind() == Kind.WORD && !PROTOCOLS.contains(t.text()) && !DIRECTIONS.contains(t.text())
                && !TYPES.contains(t.text()) && !t.text().equals("mask");
    }

    /** {@code src}, {@code dst}, and pcap's {@code src or dst}, {@code src and dst} (either order); null if none. */
    private Direction direction() {
        Token first = peek();
        if (!DIRECTIONS.contains(first.text()) || first.kind() != Kind.WORD) {
            return null;
        }
        advance();
        Token op = peek();
        Token second = peekAfter();
        if ((op.kind() == Kind.AND || op.kind() == Kind.OR) && second.kind() == Kind.WORD
                && DIRECTIONS.contains(second.text()) && !second.text().equals(first.text())) {
            advance();
            advance();
            return op.kind() == Kind.AND ? Direction.BOTH : Direction.EITHER;
        }
        return first.text().equals("src") ? Direction.SRC : Direction.DST;
    }

    /** {@code ether broadcast}, {@code ip multicast}, ...: null if the protocol is not followed by one. */
    private Expr protocolSpecial(String protocol, Token at) {
        Token next = peek();
        if (!next.isWord("broadcast") && !next.isWord("multicast")) {
            return null;
        }
        advance();
        boolean broadcast = next.text().equals("broadcast");
        return switch (protocol) {
            case "ether" -> broadcast ? etherBroadcast(at) : etherMulticast(at);
            case "ip" -> {
                if (broadcast) {
                    throw error(next, "'ip broadcast' needs the network's netmask, which a probe does not know;"
                            + " write 'dst host A.B.C.255' (or 'ether broadcast')");
                }
                yield new And(new IpFamily(PacketKeyLayout.FAMILY_IPV4), relation(Header.IP, 16, 1, Comparison.GE, 224, at));
            }
            case "ip6" -> {
                if (broadcast) {
                    throw error(next, "IPv6 has no broadcast; write 'ip6 multicast'");
                }
                yield new And(new IpFamily(PacketKeyLayout.FAMILY_IPV6), relation(Header.IP6, 24, 1, Comparison.EQ, 255, at));
            }
            default -> throw error(next, "'" + next.text() + "' applies to ether, ip and ip6, not to '" + protocol + "'");
        };
    }

    private static Relation relation(Header header, int offset, int size, Comparison comparison, long value, Token at) {
        return new Relation(new Value.Load(header, new Value.Constant(offset), size, at.column()), comparison,
                new Value.Constant(value), at.column());
    }

    private static Expr etherBroadcast(Token at) {
        return new And(relation(Header.LINK, 2, 4, Comparison.EQ, 0xFFFF_FFFFL, at),
                relation(Header.LINK, 0, 2, Comparison.EQ, 0xFFFF, at));
    }

    private static Expr etherMulticast(Token at) {
        Value first = new Value.Load(Header.LINK, new Value.Constant(0), 1, at.column());
        return new Relation(new Value.Arithmetic(Value.Operator.BIT_AND, first, new Value.Constant(1), at.column()),
                Comparison.NE, new Value.Constant(0), at.column());
    }

    private Expr protocolAlone(String protocol, Token at) {
        return switch (protocol) {
            case "ip" -> new IpFamily(PacketKeyLayout.FAMILY_IPV4);
            case "ip6" -> new IpFamily(PacketKeyLayout.FAMILY_IPV6);
            case "arp" -> new EtherType(Header.ARP.etherType(), at.column());
            case "rarp" -> new EtherType(Header.RARP.etherType(), at.column());
            case "ether" -> throw error(peek(), "expected 'host', 'src', 'dst', 'proto', 'broadcast' or 'multicast' after 'ether',"
                    + " found " + peek().quoted());
            default -> new Transport(Protocol.byKeyword(protocol));
        };
    }

    /** A value with its qualifiers, written or taken over: {@code host 10.0.0.1}, {@code tcp port 80}. */
    private Expr withQualifiers(Qualifiers q, Token value) {
        String type = q.type();
        String protocol = q.protocol();
        if (type == null) {
            type = "host";
        }
        return switch (type) {
            case "host", "net" -> address(q, type, value);
            case "port", "portrange" -> {
                if (protocol != null && !PORT_PROTOCOLS.contains(protocol)) {
                    throw error(value, "'" + type + "' cannot be qualified by '" + protocol + "' (as in tcpdump: illegal qualifier"
                            + " of 'port'): ports belong to tcp, udp and sctp; write '" + protocol + " and " + type + " " + value.text() + "'");
                }
                if (q.direction() == Direction.BOTH) {
                    throw error(value, "'src and dst' does not apply to ports; write 'src port P and dst port P'");
                }
                Port p = type.equals("port") ? port(q.direction(), value) : portRange(q.direction(), value);
                if (protocol == null) {
                    yield p;
                }
                countPrimitive(value);
                yield new And(new Transport(Protocol.byKeyword(protocol)), p);
            }
            case "proto" -> proto(q, value);
            default -> throw new IllegalStateException("not a type keyword: " + type);
        };
    }

    private Expr address(Qualifiers q, String type, Token value) {
        String protocol = q.protocol();
        MacAddress mac = MacAddress.parseOrNull(value.text());
        if ("ether".equals(protocol)) {
            if (mac == null || type.equals("net")) {
                throw error(value, "expected an Ethernet address (as 00:11:22:33:44:55) after 'ether "
                        + q.direction().qualifier() + type + "', found " + value.quoted());
            }
            return new EtherHost(q.direction(), mac, value.column());
        }
        if (mac != null && value.text().indexOf('.') < 0 && !value.text().contains("::")) {
            throw error(value, "an Ethernet address needs 'ether' before it: write 'ether host " + value.text() + "'");
        }
        if (protocol != null && !ADDRESS_PROTOCOLS.contains(protocol)) {
            throw error(value, "'" + protocol + "' cannot qualify '" + type + "' (as in tcpdump: '" + protocol
                    + "' modifier applied to host); write '" + protocol + " and " + type + " " + value.text() + "'");
        }
        Net n = type.equals("net") ? net(q.direction(), value) : host(q.direction(), value);
        if (protocol == null) {
            return n;
        }
        countPrimitive(value);
        boolean ipv4 = n.network().isIpv4();
        if (protocol.equals("ip6") == ipv4) {
            throw error(value, "'" + protocol + "' cannot qualify the IPv" + (ipv4 ? 4 : 6) + " address " + value.quoted());
        }
        if (!ipv4) {
            return new And(new IpFamily(PacketKeyLayout.FAMILY_IPV6), n);
        }
        return new And(protocolAlone(protocol, value), n);
    }

    private Expr proto(Qualifiers q, Token value) {
        String protocol = q.protocol();
        if (q.direction() != Direction.EITHER) {
            throw error(value, "'proto' takes no 'src' or 'dst'");
        }
        if ("ether".equals(protocol)) {
            long type = protocolNumber(value, ETHER_TYPES);
            if (type <= 1500) {
                throw error(value, "ether proto " + type + " is an 802.3 length, not an EtherType: the LLC forms are not"
                        + " supported; name an EtherType above 1500 (as 0x0800, \\ip, \\arp)");
            }
            return new EtherType(type, value.column());
        }
        if (protocol != null && !protocol.equals("ip") && !protocol.equals("ip6")) {
            throw error(value, "'proto' applies to ether, ip and ip6, not to '" + protocol + "'");
        }
        long number = protocolNumber(value, IP_PROTOCOLS);
        int family = protocol == null ? 0 : protocol.equals("ip") ? PacketKeyLayout.FAMILY_IPV4 : PacketKeyLayout.FAMILY_IPV6;
        return new Proto(family, number, value.column());
    }

    /** A number, or a name pcap knows, escaped as {@code \tcp} (the name alone is a keyword). */
    private long protocolNumber(Token value, Map<String, Integer> names) {
        String text = value.text();
        String name = text.startsWith("\\") ? text.substring(1) : text;
        Integer known = names.get(name);
        if (known != null) {
            return known;
        }
        if (isNumber(text)) {
            return number(value, "a protocol number");
        }
        throw error(value, "expected a protocol number or one of " + names.keySet().stream().sorted().map(n -> "\\" + n).toList()
                + ", found " + value.quoted());
    }

    /**
     * {@code host A}: a full address, or pcap's short forms: one number is a 32-bit address
     * ({@code host 10} is 0.0.0.10), two or three dotted parts are a network of that many bytes
     * ({@code host 10.1} is 10.1.0.0/16).
     */
    private Net host(Direction direction, Token value) {
        String text = value.text();
        if (isNumber(text) && text.indexOf('.') < 0) {
            long v = number(value, "an address");
            if (v > 0xFFFF_FFFFL) {
                throw error(value, "the address " + text + " does not fit in 32 bits");
            }
            return new Net(direction, Address.of(new byte[] {(byte) (v >> 24), (byte) (v >> 16), (byte) (v >> 8), (byte) v}), 32,
                    value.column());
        }
        if (text.indexOf('/') >= 0) {
            throw error(value, "a network after 'host': write 'net " + text + "'");
        }
        return shortOrFull(direction, value, text, "an address after 'host'");
    }

    private Net shortOrFull(Direction direction, Token value, String text, String what) {
        if (text.indexOf(':') < 0 && !text.isEmpty() && Address.looksNumeric(text)) {
            String[] parts = text.split("\\.", -1);
            if (parts.length < 4) {
                Address padded = address(value, text + ".0".repeat(4 - parts.length), what);
                return new Net(direction, padded, 8 * parts.length, value.column());
            }
        }
        Address a = address(value, text, what);
        return new Net(direction, a, a.bitLength(), value.column());
    }

    private Net net(Direction direction, Token value) {
        String text = value.text();
        int slash = text.indexOf('/');
        if (slash >= 0) {
            String addressPart = text.substring(0, slash);
            if (addressPart.indexOf('.') < 0 && addressPart.indexOf(':') < 0) {
                throw error(value, "expected a network (as 10.0.0.0/8 or 2001:db8::/32) after 'net', found " + value.quoted()
                        + ": write the address in full before '/'");
            }
            Net network = shortOrFull(direction, value, addressPart, "a network (as 10.0.0.0/8 or 2001:db8::/32) after 'net'");
            String prefix = text.substring(slash + 1);
            if (prefix.isEmpty() || prefix.length() > 3 || !prefix.chars().allMatch(Character::isDigit)) {
                throw error(value, "expected a prefix length after '/' in " + value.quoted() + ", found '" + prefix + "'");
            }
            return new Net(direction, network.network(), Integer.parseInt(prefix), value.column());
        }
        Net network = shortOrFull(direction, value, text, "a network (as 10.0.0.0/8 or 2001:db8::/32) after 'net'");
        if (!peek().isWord("mask")) {
            return network;
        }
        Token maskKeyword = advance();
        if (!network.network().isIpv4() || network.prefixLength() != 32) {
            throw error(maskKeyword, "'mask' applies to a full IPv4 address; write " + network.network() + "/N");
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
        return new Net(direction, network.network(), prefixLength, value.column());
    }

    /** A number, or a name from the services database, as tcpdump takes it ({@code port domain}). */
    private Port port(Direction direction, Token value) {
        OptionalInt named = value.kind() == Kind.WORD && !isNumber(value.text())
                ? ServiceNames.port(value.text()) : OptionalInt.empty();
        long port = named.isPresent() ? named.getAsInt() : number(value, "a port number after 'port'");
        return new Port(direction, port, port, value.column());
    }

    /** {@code A-B}; pcap takes the ends in either order. */
    private Port portRange(Direction direction, Token value) {
        String what = "a port range (as 1000-2000) after 'portrange'";
        String[] ends = value.text().split("-", -1);
        if (ends.length != 2 || !isNumber(ends[0]) || !isNumber(ends[1])) {
            throw error(value, "expected " + what + ", found " + value.quoted());
        }
        long a = parseNumber(ends[0]);
        long b = parseNumber(ends[1]);
        return new Port(direction, Math.min(a, b), Math.max(a, b), value.column());
    }

    // ---- relations and arithmetic -------------------------------------------------------------

    /** True if the tokens here start a value of arithmetic rather than a qualified primitive. */
    private boolean startsRelation() {
        Token t = peek();
        Token next = peekAfter();
        if (t.kind() == Kind.MINUS) {
            return true;
        }
        if (t.kind() != Kind.WORD) {
            return false;
        }
        if (t.text().equals("len")) {
            return true;
        }
        if (Header.byKeyword(t.text()) != null && next.kind() == Kind.LBRACKET) {
            return true;
        }
        boolean constant = isNumber(t.text()) || NAMED_CONSTANTS.containsKey(t.text());
        return constant && (isComparison(next.kind()) || OPERATORS.containsKey(next.kind()));
    }

    private static boolean isComparison(Kind k) {
        return k == Kind.LT || k == Kind.LE || k == Kind.GT || k == Kind.GE || k == Kind.EQ || k == Kind.NE;
    }

    private Relation relation() {
        Token first = peek();
        Value left = arithmetic(0);
        Token op = advance();
        Comparison comparison = switch (op.kind()) {
            case LT -> Comparison.LT;
            case LE -> Comparison.LE;
            case GT -> Comparison.GT;
            case GE -> Comparison.GE;
            case EQ -> Comparison.EQ;
            case NE -> Comparison.NE;
            default -> throw error(op, "expected a comparison (<, <=, >, >=, =, !=) after '" + left.describe() + "', found "
                    + op.quoted());
        };
        Value right = arithmetic(0);
        return new Relation(left, comparison, right, first.column());
    }

    /** Binding strength of each operator, loosest first, as in pcap's grammar. */
    private static final Map<Kind, Integer> OPERATORS = Map.ofEntries(
            Map.entry(Kind.BIT_OR, 0), Map.entry(Kind.BIT_XOR, 1), Map.entry(Kind.BIT_AND, 2),
            Map.entry(Kind.SHIFT_LEFT, 3), Map.entry(Kind.SHIFT_RIGHT, 3),
            Map.entry(Kind.PLUS, 4), Map.entry(Kind.MINUS, 4),
            Map.entry(Kind.TIMES, 5), Map.entry(Kind.DIVIDE, 5), Map.entry(Kind.MODULO, 5));

    /** Precedence climbing; each operator groups from the left. */
    private Value arithmetic(int minimum) {
        Value left = operand();
        while (OPERATORS.containsKey(peek().kind()) && OPERATORS.get(peek().kind()) >= minimum) {
            Token op = advance();
            Value right = arithmetic(OPERATORS.get(op.kind()) + 1);
            left = new Value.Arithmetic(Value.Operator.valueOf(op.kind().name()), left, right, op.column());
            int d = 1 + Math.max(valueDepth(((Value.Arithmetic) left).left()), valueDepth(right));
            if (d > FilterLimits.MAX_NESTING) {
                throw limit(op, "the arithmetic is more than " + FilterLimits.MAX_NESTING + " operations deep, the limit");
            }
            valueDepths.put(left, d);
        }
        return left;
    }

    /** The depth of each operation built so far, so that every later pass can recurse on values. */
    private final Map<Value, Integer> valueDepths = new IdentityHashMap<>();

    private int valueDepth(Value v) {
        return switch (v) {
            case Value.Arithmetic ar -> valueDepths.getOrDefault(ar, 1);
            case Value.Negation n -> 1 + valueDepth(n.operand());
            case Value.Load l -> 1 + valueDepth(l.offset());
            default -> 1;
        };
    }

    private Value operand() {
        Token t = peek();
        if (t.kind() == Kind.MINUS) {
            advance();
            return new Value.Negation(nestedOperand(t));
        }
        if (t.kind() == Kind.LPAREN) {
            return nestedOperand(t);
        }
        if (t.kind() != Kind.WORD) {
            throw error(t, "expected a number, 'len' or a load such as tcp[13], found " + t.quoted());
        }
        advance();
        if (t.text().equals("len")) {
            return new Value.PacketLength();
        }
        Header header = Header.byKeyword(t.text());
        if (header != null && peek().kind() == Kind.LBRACKET) {
            return load(header, t);
        }
        Integer named = NAMED_CONSTANTS.get(t.text());
        if (named != null) {
            return new Value.Constant(named);
        }
        long n = number(t, "a number, 'len' or a load such as tcp[13]");
        if (n > Checker.MAX_VALUE) {
            // A range check, the checker's kind of refusal; made here, where the number's column is known.
            throw new FilterException(FilterException.Pass.CHECK, source, t.column(), t.text(), "the number " + t.text()
                    + " does not fit in 32 bits (values are unsigned 32-bit, as in pcap)");
        }
        return new Value.Constant(n);
    }

    /** '(' value ')' or the operand of '-', one level of nesting deeper. */
    private Value nestedOperand(Token t) {
        if (nesting == FilterLimits.MAX_NESTING) {
            throw limit(t, "'(' and 'not' are nested more than " + FilterLimits.MAX_NESTING + " levels deep, the limit");
        }
        nesting++;
        try {
            if (t.kind() == Kind.MINUS) {
                return operand();
            }
            Token open = advance();
            Value inner = arithmetic(0);
            Token close = peek();
            if (close.kind() != Kind.RPAREN) {
                throw error(close, "expected ')' to close the '(' at column " + open.column() + ", found " + close.quoted());
            }
            advance();
            return inner;
        } finally {
            nesting--;
        }
    }

    private Value load(Header header, Token at) {
        advance();
        Value offset = arithmetic(0);
        int size = 1;
        if (peek().kind() == Kind.COLON) {
            advance();
            Token sizeToken = advance();
            long n = number(sizeToken, "a size (1, 2 or 4) after ':'");
            if (n != 1 && n != 2 && n != 4) {
                throw error(sizeToken, "the size of a load must be 1, 2 or 4 bytes, not " + sizeToken.text());
            }
            size = (int) n;
        }
        Token close = peek();
        if (close.kind() != Kind.RBRACKET) {
            throw error(close, "expected ']' to close '" + at.text() + "[', found " + close.quoted());
        }
        advance();
        return new Value.Load(header, offset, size, at.column());
    }

    private long number(Token t, String what) {
        if (t.kind() != Kind.WORD || !isNumber(t.text())) {
            String hint = t.kind() == Kind.WORD && Character.isLetter(t.text().charAt(0)) && what.contains("port number")
                    ? " (a port name must be in " + ServiceNames.SERVICES + ", as for tcpdump)" : "";
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

    /** A number as pcap writes it: decimal, 0x hexadecimal, or 0 octal. */
    static boolean isNumber(String s) {
        if (s.startsWith("0x") || s.startsWith("0X")) {
            return s.length() > 2 && s.substring(2).chars().allMatch(c -> Character.digit(c, 16) >= 0);
        }
        if (s.length() > 1 && s.startsWith("0")) {
            return s.chars().allMatch(c -> c >= '0' && c <= '7');
        }
        return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** A number to a value; anything too long for a long is clamped so the checker reports it out of range. */
    static long parseNumber(String s) {
        boolean hex = s.startsWith("0x") || s.startsWith("0X");
        String digits = hex ? s.substring(2) : s;
        int radix = hex ? 16 : s.length() > 1 && s.startsWith("0") ? 8 : 10;
        if (digits.length() > 15) {
            return Long.MAX_VALUE;
        }
        return Long.parseLong(digits, radix);
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
