package io.vnettracer.export;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An OTLP/HTTP trace receiver on loopback: accepts POSTs of binary ExportTraceServiceRequest
 * messages on any path, decodes them with the opentelemetry-proto classes and keeps the spans per
 * path; answers as a collector does (200 with an empty ExportTraceServiceResponse). A request with
 * the wrong method or content type gets 405 or 415 and is recorded as refused.
 */
final class OtlpReceiver implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, List<Span>> spans = new ConcurrentHashMap<>();
    final List<String> refused = java.util.Collections.synchronizedList(new ArrayList<>());

    OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            try (InputStream body = exchange.getRequestBody()) {
                if (!exchange.getRequestMethod().equals("POST")) {
                    refused.add(exchange.getRequestMethod() + " " + path);
                    exchange.sendResponseHeaders(405, -1);
                    return;
                }
                if (!"application/x-protobuf".equals(exchange.getRequestHeaders().getFirst("Content-Type"))) {
                    refused.add("content type " + exchange.getRequestHeaders().getFirst("Content-Type"));
                    exchange.sendResponseHeaders(415, -1);
                    return;
                }
                ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body);
                List<Span> got = spans.computeIfAbsent(path, p -> java.util.Collections.synchronizedList(new ArrayList<>()));
                for (ResourceSpans rs : request.getResourceSpansList()) {
                    for (ScopeSpans ss : rs.getScopeSpansList()) {
                        got.addAll(ss.getSpansList());
                    }
                }
                byte[] response = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
                exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, response.length == 0 ? -1 : response.length);
                if (response.length > 0) exchange.getResponseBody().write(response);
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    List<Span> spans(String path) {
        return List.copyOf(spans.getOrDefault(path, List.of()));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
