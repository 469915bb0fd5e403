package io.vnettracer.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vnettracer.event.EventKind;
import io.vnettracer.event.EventLayout;
import io.vnettracer.event.EventView;
import io.vnettracer.event.EventWriter;
import io.vnettracer.event.PacketKeyLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/**
 * The TCP receive-side pairing keeps state per socket; sockets come and go, so a socket quiet for
 * a minute is forgotten (with what it held, counted) instead of kept for the life of the trace.
 * (UDP's pairing is in the kernel, in maps of bounded size: probe module, UdpPairingMaps.)
 */
class ForgottenSocketsTest {
    private static final long SECOND = 1_000_000_000L;
    private final MemorySegment scratch = Arena.ofAuto().allocate(EventLayout.SIZE, 8);
    private final EventWriter writer = new EventWriter();
    private final EventView view = new EventView();

    private void feed(SocketReadPairer pairer, EventKind kind, int protocol, long ts, long socket, int seq, int payload) {
        writer.wrap(scratch, 0).kind(kind).probeId(1).timestamp(ts).extra(socket).ipLength(payload + 40)
                .headersLength(protocol == PacketKeyLayout.IPPROTO_TCP ? 40 : 0).l4Data((long) seq << 32)
                .ipv4(0x0a000001, 0x0a000002, protocol, 40000, 5000);
        pairer.onEvent(view.wrap(scratch, 0));
    }

    @Test
    void socketsQuietForAMinuteAreForgottenWithWhatTheyHeld() {
        long[] passedOn = {0};
        SocketReadPairer pairer = new SocketReadPairer(new EventConsumer() {
            @Override
            public void onEvent(EventView event) {
                passedOn[0]++;
            }
        });
        for (int s = 1; s <= 100; s++) {
            feed(pairer, EventKind.SOCKET_QUEUED, PacketKeyLayout.IPPROTO_TCP, SECOND + s, 1000 + s, 1, 10);
        }
        // One socket stays busy; the sweep runs once a second of event time.
        for (int t = 2; t <= 62; t++) {
            feed(pairer, EventKind.SOCKET_QUEUED, PacketKeyLayout.IPPROTO_TCP, t * SECOND, 7777, 1 + 10 * t, 10);
        }
        assertEquals(100, pairer.tcp().forgottenSockets(), "the hundred quiet TCP streams");
        assertEquals(100, pairer.tcp().overflowed(), "their undelivered segments are given up, counted");
        assertEquals(61, pairer.tcp().undelivered(), "the busy socket keeps its queue");
        assertEquals(0, passedOn[0]);
    }
}
