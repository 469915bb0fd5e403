package io.vnettracer.journey;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AddressesTest {
    @Test
    void ipv4IsDotted() {
        assertEquals("10.213.1.255", Addresses.format(4, (long) 0x0ad501ff << 32, 0));
    }

    @Test
    void ipv6FollowsRfc5952() {
        assertEquals("fd00::1", Addresses.ipv6(0xfd00_0000_0000_0000L, 1));
        assertEquals("::", Addresses.ipv6(0, 0));
        assertEquals("2001:db8::1:0:0:1", Addresses.ipv6(0x2001_0db8_0000_0000L, 0x0001_0000_0000_0001L),
                "the longest zero run is the one shortened");
        assertEquals("2001:db8:0:1:1:1:1:1", Addresses.ipv6(0x2001_0db8_0000_0001L, 0x0001_0001_0001_0001L),
                "a single zero group stays");
        assertEquals("fe80::", Addresses.ipv6(0xfe80_0000_0000_0000L, 0));
    }
}
