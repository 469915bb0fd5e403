package io.vnettracer.probe.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FilterExceptionTest {
    @Test
    void rendersTheExpressionWithACaretUnderTheColumn() {
        FilterException e = assertThrows(FilterException.class, () -> Filter.parse("udp and port foo"));
        assertEquals("""
                filter error at column 14: expected a port number after 'port', found 'foo' (a port name must be in /etc/services, as for tcpdump)
                  udp and port foo
                               ^""", e.render());
    }

    @Test
    void caretAfterTheLastCharacterForAMissingToken() {
        FilterException e = assertThrows(FilterException.class, () -> Filter.parse("host"));
        assertEquals("""
                filter error at column 5: expected an address after 'host', found end of expression
                  host
                      ^""", e.render());
    }

    @Test
    void checkErrorsRenderTheSameWay() {
        FilterException e = assertThrows(FilterException.class, () -> Filter.parse("src port 123456"));
        assertEquals(FilterException.Pass.CHECK, e.pass());
        assertEquals("""
                filter error at column 10: port 123456 is out of range 0..65535
                  src port 123456
                           ^""", e.render());
        assertEquals("port 123456 is out of range 0..65535", e.problem());
        assertEquals("src port 123456", e.expression());
    }
}
