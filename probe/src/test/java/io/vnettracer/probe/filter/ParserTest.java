package io.vnettracer.probe.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.probe.filter.Expr.And;
import io.vnettracer.probe.filter.Expr.Net;
import io.vnettracer.probe.filter.Expr.Not;
import io.vnettracer.probe.filter.Expr.Or;
import io.vnettracer.probe.filter.Expr.Port;
import io.vnettracer.probe.filter.Expr.Relation;
import io.vnettracer.probe.filter.Expr.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ParserTest {
    private static FilterException syntaxError(String source) {
        FilterException e = assertThrows(FilterException.class, () -> Parser.parse(source));
        assertEquals(FilterException.Pass.SYNTAX, e.pass(), e.getMessage());
        return e;
    }

    @Test
    void emptyMatchesAll() {
        assertInstanceOf(Expr.MatchAll.class, Parser.parse(""));
        assertInstanceOf(Expr.MatchAll.class, Parser.parse("  \t"));
    }

    @Test
    void primitivesBecomeRecords() {
        assertEquals(new Net(Direction.SRC, Address.parse("10.0.0.1"), 32, 10), Parser.parse("src host 10.0.0.1"));
        assertEquals(new Net(Direction.EITHER, Address.parse("2001:db8::"), 32, 5), Parser.parse("net 2001:db8::/32"));
        assertEquals(new Net(Direction.DST, Address.parse("10.0.0.0"), 8, 9), Parser.parse("dst net 10.0.0.0 mask 255.0.0.0"));
        assertEquals(new Port(Direction.EITHER, 80, 80, 6), Parser.parse("port 80"));
        assertEquals(new Port(Direction.DST, 1000, 2000, 15), Parser.parse("dst portrange 1000-2000"));
        assertEquals(new Relation(new Value.PacketLength(), Comparison.LE, new Value.Constant(100), 1), Parser.parse("len <= 100"));
        assertEquals(new Relation(new Value.PacketLength(), Comparison.GE, new Value.Constant(64), 9), Parser.parse("greater 64"));
        assertEquals(new Transport(Protocol.ICMP6), Parser.parse("icmp6"));
    }

    @Test
    void notBindsTighterThanAndOr() {
        Expr e = Parser.parse("not tcp and udp");
        And and = assertInstanceOf(And.class, e);
        assertInstanceOf(Not.class, and.left());
    }

    @Test
    void andAndOrBindEquallyFromTheLeftAsInPcap() {
        // pcap-filter(7): "Alternation and concatenation have equal precedence and associate left to right."
        And and = assertInstanceOf(And.class, Parser.parse("tcp or udp and port 80"));
        assertInstanceOf(Or.class, and.left());
        Or or = assertInstanceOf(Or.class, Parser.parse("tcp and udp or port 80"));
        assertInstanceOf(And.class, or.left());
    }

    @Test
    void parenthesesGroup() {
        Or or = assertInstanceOf(Or.class, Parser.parse("tcp or (udp and port 80)"));
        assertInstanceOf(And.class, or.right());
    }

    @Test
    void protocolBeforeAQualifiedPrimitiveIsAConjunction() {
        assertEquals("tcp and dst port 80", Parser.parse("tcp dst port 80").describe());
        assertEquals("ip6 and net 2001:db8::/32", Parser.parse("ip6 net 2001:db8::/32").describe());
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "host 10.0.0.1;host 10.0.0.1",
            "port 1 or 2;port 1 or port 2",
            "host 10.0.0.1 and not 10.0.0.2;host 10.0.0.1 and not host 10.0.0.2",
            "tcp port 80 or 443;(tcp and port 80) or (tcp and port 443)",
            "src or dst port 5;port 5",
            "src and dst net 10.0.0.0/8;src and dst net 10.0.0.0/8",
            "host 10.1;net 10.1.0.0/16",
            "host 10;host 0.0.0.10",
            "ip proto \\udp;ip proto 17",
            "tcp[tcpflags] & (tcp-syn|tcp-fin) != 0;tcp[13] & (2 | 1) != 0",
            "(tcp[13] & 2) != 0;tcp[13] & 2 != 0",
            "ether src 2:0:0:0:0:1;ether src host 02:00:00:00:00:01",
            "arp;arp",
            "vlan 100 and ip;vlan 100 and ip",
            "greater 100;len >= 100",
            "src 10.0.0.1;src host 10.0.0.1",
            "host 2001:DB8:0:0:0:0:0:1;host 2001:db8::1",
            "host ::ffff:10.0.0.1;host ::ffff:10.0.0.1",
            "net 10.0.0.0 mask 255.255.0.0;net 10.0.0.0/16",
            "net 10.0.0.1/32;host 10.0.0.1",
            "portrange 80-80;port 80",
            "less 100;len <= 100",
            "len == 5;len = 5",
            "tcp && !udp || icmp;(tcp and not udp) or icmp",
    })
    void describeNormalizes(String source, String normalized) {
        assertEquals(normalized, Parser.parse(source).describe());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "tcp or udp and port 80",
            "tcp or (udp and port 80)",
            "not (host 10.0.0.1 or src net 2001:db8::/32) and len > 100",
            "((tcp))",
            "not not ip6",
            "dst portrange 1-1024 or src port 53 and icmp6 or ip",
            "tcp[tcpflags] & (tcp-syn|tcp-fin) != 0 or -(ip[2:2] - 4) * 2 / 3 % 5 ^ 1 << 2 >> 1 = len",
            "port 1 or 2 or not 3",
            "vlan 100 and ether host 02:00:00:00:00:01 or ip6 multicast",
    })
    void describeParsesBackToTheSameTree(String source) {
        Expr once = Parser.parse(source);
        Expr twice = Parser.parse(once.describe());
        assertEquals(once.describe(), twice.describe());
        assertEquals(stripColumns(once), stripColumns(twice));
    }

    /** The same tree with every column set to 0, to compare trees parsed from different texts. */
    private static Expr stripColumns(Expr e) {
        return switch (e) {
            case And(Expr l, Expr r) -> new And(stripColumns(l), stripColumns(r));
            case Or(Expr l, Expr r) -> new Or(stripColumns(l), stripColumns(r));
            case Not(Expr x) -> new Not(stripColumns(x));
            case Net n -> new Net(n.direction(), n.network(), n.prefixLength(), 0);
            case Port p -> new Port(p.direction(), p.low(), p.high(), 0);
            case Relation r -> new Relation(stripColumns(r.left()), r.comparison(), stripColumns(r.right()), 0);
            case Expr.Vlan v -> new Expr.Vlan(v.id(), 0);
            case Expr.EtherHost h -> new Expr.EtherHost(h.direction(), h.address(), 0);
            case Expr.EtherType t -> new Expr.EtherType(t.type(), 0);
            case Expr.Proto p -> new Expr.Proto(p.family(), p.number(), 0);
            default -> e;
        };
    }

    private static Value stripColumns(Value v) {
        return switch (v) {
            case Value.Load l -> new Value.Load(l.header(), stripColumns(l.offset()), l.size(), 0);
            case Value.Arithmetic ar -> new Value.Arithmetic(ar.operator(), stripColumns(ar.left()), stripColumns(ar.right()), 0);
            case Value.Negation n -> new Value.Negation(stripColumns(n.operand()));
            default -> v;
        };
    }

    @Test
    void portThatIsNotANumber() {
        FilterException e = syntaxError("udp and port foo");
        assertEquals("filter error at column 14: expected a port number after 'port', found 'foo'"
                + " (a port name must be in /etc/services, as for tcpdump)", e.getMessage());
        assertEquals("foo", e.token());
        assertEquals(14, e.column());
    }

    @Test
    void portNamesComeFromTheServicesDatabaseAsForTcpdump() {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.exists(ServiceNames.SERVICES));
        assertEquals(new Port(Direction.EITHER, 53, 53, 6), Parser.parse("port domain"));
        assertEquals("filter error at column 6: expected a port number after 'port', found 'nosuchservice'"
                + " (a port name must be in /etc/services, as for tcpdump)", syntaxError("port nosuchservice").getMessage());
    }

    @Test
    void aValueAloneNeedsQualifiersToTakeOver() {
        FilterException alone = syntaxError("10.0.0.1");
        assertEquals(1, alone.column());
        assertTrue(alone.getMessage().contains("a value alone takes the qualifiers of the primitive before it, and there is"
                + " none here: write 'host 10.0.0.1' or 'port 10.0.0.1'"), alone.getMessage());
        assertEquals(8, syntaxError("tcp or 53").column());
        assertEquals(19, syntaxError("port 1 and tcp or 2").column());
        assertTrue(syntaxError("port 80 or 10.0.0.1").getMessage().contains("expected a port number after 'port', found '10.0.0.1'"));
    }

    @Test
    void qualifiersTcpdumpRefusesAreRefused() {
        assertTrue(syntaxError("tcp host 10.0.0.1").getMessage().contains("'tcp' cannot qualify 'host'"));
        assertTrue(syntaxError("ip port 80").getMessage().contains("ports belong to tcp, udp and sctp"));
        assertTrue(syntaxError("ip6 host 10.0.0.1").getMessage().contains("'ip6' cannot qualify the IPv4 address"));
        assertTrue(syntaxError("host 1:2:3:4:5:6").getMessage().contains("needs 'ether' before it"));
        assertTrue(syntaxError("tcp[0:3] = 1").getMessage().contains("must be 1, 2 or 4 bytes"));
        assertEquals(4, syntaxError("ip 10.0.0.1").column());
    }

    @Test
    void hostNamesAreRefusedWithTheReason() {
        FilterException e = syntaxError("host example.com");
        assertEquals(6, e.column());
        assertEquals("filter error at column 6: expected an address after 'host', found 'example.com': "
                + "only numeric IPv4 or IPv6 addresses are accepted, host names are not resolved", e.getMessage());
        assertTrue(syntaxError("example.com").getMessage().contains("host names are not resolved"));
        assertTrue(syntaxError("port 1 or example.com").getMessage().contains("host names are not resolved")
                || syntaxError("port 1 or example.com").getMessage().contains("port"));
    }

    @Test
    void malformedAddresses() {
        assertTrue(syntaxError("host 10.0.0.0.1").getMessage().contains("four dotted parts"));
        assertTrue(syntaxError("host 10.0.0.256").getMessage().contains("256 is more than 255"));
        assertTrue(syntaxError("host 2001:db8:::1").getMessage().contains("not a valid IPv6 address"));
    }

    @Test
    void missingOperandAtTheEnd() {
        FilterException e = syntaxError("tcp and");
        assertEquals(8, e.column());
        assertEquals("end of expression", e.token());
        assertTrue(e.getMessage().contains("found end of expression"), e.getMessage());
    }

    @Test
    void unbalancedParentheses() {
        FilterException open = syntaxError("(tcp or udp");
        assertEquals("filter error at column 12: expected ')' to close the '(' at column 1, found end of expression", open.getMessage());
        FilterException close = syntaxError("tcp)");
        assertTrue(close.getMessage().contains("has no matching '('"), close.getMessage());
        assertEquals(4, close.column());
        assertTrue(syntaxError("()").getMessage().contains("inside '(' ')'"));
    }

    @Test
    void twoPrimitivesWithoutAnOperator() {
        FilterException e = syntaxError("tcp udp");
        assertEquals("filter error at column 5: expected 'and', 'or' or the end of the expression, found 'udp'", e.getMessage());
    }

    @Test
    void unknownPrimitiveListsTheKnownOnes() {
        FilterException e = syntaxError("foo");
        assertTrue(e.getMessage().startsWith("filter error at column 1: expected a primitive (host, net"), e.getMessage());
    }

    @Test
    void lenNeedsAComparisonAndANumber() {
        assertEquals("filter error at column 5: expected a comparison (<, <=, >, >=, =, !=) after 'len', found '100'",
                syntaxError("len 100").getMessage());
        assertEquals("filter error at column 7: expected a number, 'len' or a load such as tcp[13], found 'big'",
                syntaxError("len > big").getMessage());
    }

    @Test
    void networkSyntax() {
        assertTrue(syntaxError("net 10.0.0.0/x").getMessage().contains("prefix length after '/'"));
        assertTrue(syntaxError("net 10.0.0.0 mask 255.0.255.0").getMessage().contains("has a hole"));
        assertTrue(syntaxError("net 2001:db8:: mask 255.0.0.0").getMessage().contains("a full IPv4 address"));
        assertTrue(syntaxError("portrange 10").getMessage().contains("a port range (as 1000-2000)"));
        assertTrue(syntaxError("src tcp").getMessage().contains("after 'src'"));
    }
}
