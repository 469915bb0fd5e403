package io.vnettracer.cli.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vnettracer.cli.trace.ScriptAssembly;
import io.vnettracer.probe.script.ProbeDefinition;
import io.vnettracer.session.ProbeStatus;
import java.util.List;

/** Answers one request line of {@link ControlProtocol} against the running trace's probes. */
public final class ControlHandler {
    private final ObjectMapper json = new ObjectMapper();
    private final LiveProbes probes;

    public ControlHandler(LiveProbes probes) {
        this.probes = probes;
    }

    /** The reply line (without the newline) to {@code request}. Never throws. */
    public String handle(String request) {
        long start = System.nanoTime();
        ObjectNode reply = json.createObjectNode();
        try {
            JsonNode r = json.readTree(request);
            if (r == null || !r.isObject()) {
                throw new IllegalArgumentException("a request is one JSON object, e.g. {\"op\":\"list\"}");
            }
            String op = text(r, ControlProtocol.OP);
            long micros = switch (op) {
                case "list" -> {
                    List<ProbeStatus> status = probes.status();
                    reply.set(ControlProtocol.PROBES, list(status));
                    yield (System.nanoTime() - start) / 1000;
                }
                case "add" -> {
                    ProbeDefinition def = ScriptAssembly.probeOption(text(r, ControlProtocol.NAME) + "=" + text(r, ControlProtocol.SPEC));
                    JsonNode filter = r.get(ControlProtocol.FILTER);
                    yield probes.addProbe(filter == null || filter.isNull() ? def : def.withFilter(filter.asText()));
                }
                case "remove" -> probes.removeProbe(text(r, ControlProtocol.NAME));
                case "filter" -> {
                    JsonNode expression = r.get(ControlProtocol.EXPRESSION);
                    if (expression == null || !expression.isTextual()) {
                        throw new IllegalArgumentException("'filter' needs \"expression\": a string (empty for none)");
                    }
                    yield probes.setFilter(text(r, ControlProtocol.NAME), expression.asText());
                }
                case "sample" -> {
                    JsonNode every = r.get(ControlProtocol.EVERY);
                    if (every == null || !every.canConvertToInt()) {
                        throw new IllegalArgumentException("'sample' needs \"every\": a whole number N >= 1");
                    }
                    yield probes.setSample(text(r, ControlProtocol.NAME), every.asInt());
                }
                default -> throw new IllegalArgumentException("unknown op '" + op + "'; ops are list, add, remove, filter, sample");
            };
            reply.put(ControlProtocol.OK, true);
            reply.put(ControlProtocol.MICROS, micros);
        } catch (JsonProcessingException e) {
            failed(reply, start, "not JSON: " + e.getOriginalMessage());
        } catch (RuntimeException e) {
            failed(reply, start, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
        return reply.toString();
    }

    /** A failure reply the server sends on its own (a refused connection, an oversize request): micros 0. */
    static String failure(String message) {
        return JSON_FOR_FAILURES.createObjectNode().put(ControlProtocol.OK, false).put(ControlProtocol.MICROS, 0)
                .put(ControlProtocol.ERROR, message).toString();
    }

    private static final ObjectMapper JSON_FOR_FAILURES = new ObjectMapper();

    private void failed(ObjectNode reply, long start, String message) {
        reply.removeAll();
        reply.put(ControlProtocol.OK, false);
        reply.put(ControlProtocol.MICROS, (System.nanoTime() - start) / 1000);
        reply.put(ControlProtocol.ERROR, message);
    }

    private ArrayNode list(List<ProbeStatus> status) {
        ArrayNode a = json.createArrayNode();
        for (ProbeStatus s : status) {
            a.addObject()
                    .put("id", s.id())
                    .put("name", s.name())
                    .put("spec", s.spec())
                    .put("filter", s.filter())
                    .put("sample_every", s.sampleEvery())
                    .put("events", s.events())
                    .put("lost", s.lost())
                    .put("packets", s.packets())
                    .put("bytes", s.bytes());
        }
        return a;
    }

    private static String text(JsonNode request, String field) {
        JsonNode v = request.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new IllegalArgumentException("the request needs \"" + field + "\" (a non-empty string)");
        }
        return v.asText();
    }
}
