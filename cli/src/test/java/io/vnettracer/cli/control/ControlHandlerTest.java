package io.vnettracer.cli.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vnettracer.probe.script.ProbeDefinition;
import io.vnettracer.session.ProbeStatus;
import io.vnettracer.session.SessionException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The protocol on a table of probes kept in memory; the kernel side is CtlCommandTest's. */
class ControlHandlerTest {
    private final ObjectMapper json = new ObjectMapper();
    private final List<String> calls = new ArrayList<>();
    private final LiveProbes probes = new LiveProbes() {
        @Override public List<ProbeStatus> status() {
            return List.of(new ProbeStatus(0, "rx", "drops", "", 5, true, 10, 1, 10, 640, 90));
        }
        @Override public long addProbe(ProbeDefinition d) { calls.add("add " + d.name() + " " + d.spec().text() + " " + d.filter()); return 700; }
        @Override public long removeProbe(String name) {
            if (!name.equals("rx")) throw new SessionException("no probe named '" + name + "'; probes are [rx]");
            calls.add("remove " + name);
            return 50;
        }
        @Override public long setFilter(String name, String e) { calls.add("filter " + name + " " + e); return 300; }
        @Override public long setSample(String name, int every) { calls.add("sample " + name + " " + every); return 4; }
    };
    private final ControlHandler handler = new ControlHandler(probes);

    private JsonNode ask(String request) throws Exception {
        return json.readTree(handler.handle(request));
    }

    private void assertError(String request, String fragment) throws Exception {
        JsonNode reply = ask(request);
        assertFalse(reply.get("ok").asBoolean(), reply.toString());
        assertTrue(reply.get("micros").isIntegralNumber(), reply.toString());
        assertTrue(reply.get("error").asText().contains(fragment), reply.toString());
    }

    @Test
    void changesReportTheSessionsTime() throws Exception {
        assertEquals(json.readTree("{\"ok\":true,\"micros\":700}"), ask("{\"op\":\"add\",\"name\":\"tx\",\"spec\":\"drops:vm0\",\"filter\":\"udp\"}"));
        assertEquals(50, ask("{\"op\":\"remove\",\"name\":\"rx\"}").get("micros").asLong());
        assertEquals(300, ask("{\"op\":\"filter\",\"name\":\"rx\",\"expression\":\"\"}").get("micros").asLong());
        assertEquals(4, ask("{\"op\":\"sample\",\"name\":\"rx\",\"every\":10}").get("micros").asLong());
        assertEquals(List.of("add tx drops:vm0 udp", "remove rx", "filter rx ", "sample rx 10"), calls);
    }

    @Test
    void listGivesEveryProbesFigures() throws Exception {
        JsonNode reply = ask("{\"op\":\"list\"}");
        assertTrue(reply.get("ok").asBoolean());
        JsonNode p = reply.get("probes").get(0);
        assertEquals("rx", p.get("name").asText());
        assertEquals(5, p.get("sample_every").asInt());
        assertEquals(10, p.get("events").asLong());
        assertEquals(1, p.get("lost").asLong());
        assertEquals(640, p.get("bytes").asLong());
    }

    @Test
    void errorsComeBackAsMessages() throws Exception {
        assertError("{\"op\":\"remove\",\"name\":\"nosuch\"}", "no probe named 'nosuch'; probes are [rx]");
        assertError("{\"op\":\"launch\"}", "unknown op 'launch'");
        assertError("{\"name\":\"rx\"}", "the request needs \"op\"");
        assertError("{\"op\":\"remove\"}", "the request needs \"name\"");
        assertError("{\"op\":\"sample\",\"name\":\"rx\",\"every\":\"ten\"}", "a whole number");
        assertError("{\"op\":\"filter\",\"name\":\"rx\"}", "needs \"expression\"");
        assertError("{\"op\":\"add\",\"name\":\"a b\",\"spec\":\"drops\"}", "probe name 'a b'");
        assertError("{\"op\":\"add\",\"name\":\"t\",\"spec\":\"nic:x\"}", "unknown probe kind 'nic'");
        assertError("[1,2]", "one JSON object");
        assertError("{op: list", "not JSON");
        assertTrue(calls.isEmpty(), calls.toString());
    }

    @Test
    void theServerAnswersLineByLineAndRemovesItsSocket(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("1.sock");
        try (ControlServer server = ControlServer.start(socket, handler, System.err::println)) {
            assertEquals(socket, server.socket());
            JsonNode reply = ControlClient.send(socket, json.readTree("{\"op\":\"sample\",\"name\":\"rx\",\"every\":3}"));
            assertEquals(4, reply.get("micros").asLong());
            assertFalse(ControlClient.send(socket, json.readTree("{\"op\":\"x\"}")).get("ok").asBoolean());
        }
        assertFalse(java.nio.file.Files.exists(socket));
    }
}
