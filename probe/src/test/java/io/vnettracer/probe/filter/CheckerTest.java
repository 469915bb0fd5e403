package io.vnettracer.probe.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CheckerTest {
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
    void portRangeBackwardsOrOutOfRange() {
        assertEquals("filter error at column 11: port range 9-3 is empty: write the lower port first (3-9)",
                checkError("portrange 9-3").getMessage());
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
    void lengthOutOfRange() {
        assertEquals("filter error at column 7: length 4294967296 is out of range 0..4294967295",
                checkError("len > 4294967296").getMessage());
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
