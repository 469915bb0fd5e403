package io.vnettracer.probe.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CheckerTest {
    private static FilterException parseCheckError(String source) {
        FilterException e = assertThrows(FilterException.class, () -> Filter.parse(source));
        assertEquals(FilterException.Pass.CHECK, e.pass(), e.getMessage());
        return e;
    }

    private static FilterException checkError(String source) {
        Expr parsed = Parser.parse(source); // the parser must accept it: this is the checker's refusal
        FilterException e = assertThrows(FilterException.class, () -> Checker.check(source, parsed));
        assertEquals(FilterException.Pass.CHECK, e.pass());
        return e;
    }

    @Test
    void portOutOfRange() {
        FilterException e = checkError("tcp and port 70000");
        assertEquals("filter error at column 14: port 70000 is out of range 0..65535", e.getMessage());
        assertEquals("70000", e.token());
        assertEquals(6, checkError("port 99999999999999999999999").column());
    }

    @Test
    void portRangeBackwardsIsTakenAsTcpdumpTakesItButOutOfRangeIsNot() {
        assertEquals("portrange 3-9", Filter.parse("portrange 9-3").describe());
        assertEquals("filter error at column 15: port range 1-65536 is out of range 0..65535",
                checkError("dst portrange 1-65536").getMessage());
    }

    @Test
    void prefixTooLong() {
        assertEquals("filter error at column 5: prefix /33 is too long for an IPv4 address (at most /32)",
                checkError("net 10.0.0.0/33").getMessage());
        assertEquals("filter error at column 5: prefix /129 is too long for an IPv6 address (at most /128)",
                checkError("net 2001:db8::/129").getMessage());
    }

    @Test
    void hostBitsBeyondThePrefix() {
        assertEquals("filter error at column 5: network 10.1.2.3/8 has bits set beyond its prefix; did you mean 10.0.0.0/8?",
                checkError("net 10.1.2.3/8").getMessage());
        assertEquals("filter error at column 5: network 2001:db8::1/64 has bits set beyond its prefix; did you mean 2001:db8::/64?",
                checkError("net 2001:db8::1/64").getMessage());
    }

    @Test
    void numbersBeyond32BitsAreRefusedWhereTheyStand() {
        assertEquals("filter error at column 7: the number 4294967296 does not fit in 32 bits (values are unsigned 32-bit,"
                + " as in pcap)", parseCheckError("len > 4294967296").getMessage());
        assertEquals(9, parseCheckError("greater 4294967296").column());
        assertEquals(11, parseCheckError("ip[0:2] = 0x100000000").column());
    }

    @Test
    void arithmeticThatTcpdumpRefusesIsRefusedAtItsOperator() {
        FilterException zero = checkError("ip[0] / 0 = 1");
        assertEquals("filter error at column 7: division by zero", zero.getMessage());
        assertEquals(7, checkError("ip[0] % 0 = 1").column());
        assertEquals("filter error at column 9: shift by 32 bits: a value has 32, shift by at most 31",
                checkError("tcp[13] >> 32 = 0").getMessage());
        assertEquals("filter error at column 6: VLAN id 5000 is out of range 0..4095", checkError("vlan 5000").getMessage());
    }

    @Test
    void arithmeticNeedingMoreRegistersThanThereAreIsALimit() {
        String deep = "ip[0] + (ip[1] + (ip[2] + (ip[3] + ip[4]))) = 1";
        FilterException e = assertThrows(FilterException.class, () -> Filter.parse(deep));
        assertEquals(FilterException.Pass.LIMIT, e.pass());
        assertEquals(1, e.column());
        assertEquals("filter error at column 1: the arithmetic holds 5 values at once, over the limit of 4 (the registers the"
                + " compiled code keeps them in); put constants on the right of each operator, or split the comparison",
                e.getMessage());
        Filter.parse("ip[0] + (ip[1] + (ip[2] + ip[3])) = 1");
        Filter.parse("ip[0] + ip[1] + ip[2] + ip[3] + ip[4] + ip[5] + ip[6] = 1");
    }

    @Test
    void errorsInsideOperatorsAreFound() {
        assertEquals(26, checkError("tcp and not (udp or port 65536)").column());
    }

    @Test
    void neverMatchingCombinationsAreAccepted() {
        for (String accepted : new String[] {"icmp and port 80", "ip and ip6", "ip6 and host 10.0.0.1", "portrange 0-65535",
                "net 0.0.0.0/0", "len >= 0", "port 0"}) {
            Expr parsed = Parser.parse(accepted);
            assertEquals(parsed, Checker.check(accepted, parsed), accepted);
        }
    }
}
