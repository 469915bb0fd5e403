package io.vnettracer.export;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * /metrics fetched over HTTP and read by the Prometheus project's own Python parser (Debian's
 * python3-prometheus-client, installed by scripts/setup): what a scraper would make of it.
 */
final class PrometheusText {
    /** Debian's interpreter, which has the package (another python3 on PATH may not). */
    static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final String PARSER = """
            import json, sys
            from prometheus_client.parser import text_string_to_metric_families
            out = []
            for family in text_string_to_metric_families(sys.stdin.read()):
                for s in family.samples:
                    out.append({"family": family.name, "type": family.type, "name": s.name,
                                "labels": s.labels, "value": s.value})
            print(json.dumps(out))
            """;

    record Sample(String family, String type, String name, Map<String, String> labels, double value) {}

    final String text;
    final List<Sample> samples;

    private PrometheusText(String text, List<Sample> samples) {
        this.text = text;
        this.samples = samples;
    }

    static PrometheusText scrape(String host, int port) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("GET /metrics: HTTP " + response.statusCode() + "\n" + response.body());
        }
        return new PrometheusText(response.body(), parse(response.body()));
    }

    private static List<Sample> parse(String text) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(PYTHON.toString(), "-c", PARSER).redirectErrorStream(false).start();
        p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new AssertionError("the Prometheus parser refused /metrics: " + err + "\n" + text);
        }
        JsonNode root = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build().readTree(out);
        List<Sample> samples = new ArrayList<>();
        for (JsonNode s : root) {
            Map<String, String> labels = new LinkedHashMap<>();
            s.get("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
            samples.add(new Sample(s.get("family").asText(), s.get("type").asText(), s.get("name").asText(), labels,
                    s.get("value").asDouble()));
        }
        return samples;
    }

    static boolean available() {
        return Files.isExecutable(PYTHON);
    }

    /** The one sample with this name whose labels include {@code labels}. */
    double value(String name, Map<String, String> labels) {
        List<Sample> found = samples.stream().filter(s -> s.name().equals(name)
                && s.labels().entrySet().containsAll(labels.entrySet())).toList();
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " samples " + name + labels + " in:\n" + text);
        }
        return found.getFirst().value();
    }

    String typeOf(String family) {
        return samples.stream().filter(s -> s.family().equals(family)).map(Sample::type).findFirst()
                .orElseThrow(() -> new AssertionError("no family " + family + " in:\n" + text));
    }
}
