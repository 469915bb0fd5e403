package io.vnettracer.export.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ListenAddressTest {
    @Test
    void aPortAloneListensOnLoopback() {
        assertEquals(new ListenAddress("127.0.0.1", 9464), ListenAddress.parse("9464"));
    }

    @Test
    void hostsAndBracketedIpv6() {
        assertEquals(new ListenAddress("0.0.0.0", 9464), ListenAddress.parse("0.0.0.0:9464"));
        assertEquals(new ListenAddress("::1", 9464), ListenAddress.parse("[::1]:9464"));
        assertEquals("[::1]:9464", ListenAddress.parse("[::1]:9464").toString());
    }

    @Test
    void badAddressesSayWhatIsWrong() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ListenAddress.parse("::1:9464")).getMessage().contains("brackets"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ListenAddress.parse("host:http")).getMessage()
                .contains("'http' is not a port number"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ListenAddress.parse(":9464")).getMessage().contains("no host"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ListenAddress.parse("65536")).getMessage().contains("0..65535"));
    }
}
