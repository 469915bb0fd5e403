package io.vnettracer.probe.filter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class AddressTest {
    @ParameterizedTest
    @CsvSource({
            "10.0.0.1, 10.0.0.1",
            "0.0.0.0, 0.0.0.0",
            "2001:DB8::1, 2001:db8::1",
            "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
            "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
            "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
            "::, ::",
            "::1, ::1",
            "fe80::, fe80::",
    })
    void formatsCanonically(String literal, String canonical) {
        assertEquals(canonical, Address.parse(literal).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0", "10.0.0.0.1", "1.2.3.256", "01234.1.1.1", "1..2.3", "::g", "1:2:3:4:5:6:7:8:9"})
    void refusesMalformedLiterals(String text) {
        assertThrows(IllegalArgumentException.class, () -> Address.parse(text));
    }

    @Test
    void ipv4MappedIpv6KeepsSixteenBytes() {
        Address a = Address.parse("::ffff:192.0.2.1");
        assertFalse(a.isIpv4());
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, (byte) 192, 0, 2, 1}, a.bytes());
    }

    @Test
    void masksAndPrefixLengths() {
        assertEquals(Address.parse("10.0.0.0"), Address.parse("10.1.2.3").masked(8));
        assertEquals(Address.parse("10.1.2.2"), Address.parse("10.1.2.3").masked(31));
        assertEquals(Address.parse("2001:db8::"), Address.parse("2001:db8:1::1").masked(32));
        assertEquals(20, Address.parse("255.255.240.0").asPrefixLength());
        assertEquals(-1, Address.parse("255.0.255.0").asPrefixLength());
        assertEquals(0, Address.parse("0.0.0.0").asPrefixLength());
    }

    @Test
    void hostNamesDoNotLookNumeric() {
        assertFalse(Address.looksNumeric("example.com"));
        assertFalse(Address.looksNumeric("localhost"));
        assertTrue(Address.looksNumeric("fe80::1"));
        assertTrue(Address.looksNumeric("10.0.0.1"));
    }
}
