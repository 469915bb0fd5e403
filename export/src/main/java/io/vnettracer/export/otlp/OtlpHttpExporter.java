package io.vnettracer.export.otlp;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Posts ExportTraceServiceRequest messages to an OTLP/HTTP endpoint as binary protobuf, with the JDK's
 * HTTP client. Retries what the OTLP specification calls retryable (429, 502, 503, 504, and a
 * connection that failed) a few times with a growing pause; anything else fails the batch at once.
 */
final class OtlpHttpExporter {
    private static final int ATTEMPTS = 3;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final URI endpoint;
    private final java.util.Map<String, String> headers;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    OtlpHttpExporter(URI endpoint, java.util.Map<String, String> headers) {
        this.endpoint = endpoint;
        this.headers = java.util.Map.copyOf(headers);
    }

    /** @return spans the receiver reported rejected (0 for a full success) */
    long export(ExportTraceServiceRequest request) throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint).timeout(TIMEOUT)
                .header("Content-Type", "application/x-protobuf");
        headers.forEach(builder::header);
        HttpRequest post = builder.POST(HttpRequest.BodyPublishers.ofByteArray(request.toByteArray())).build();
        IOException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            if (attempt > 1) {
                Thread.sleep(250L << attempt);
            }
            HttpResponse<byte[]> response;
            try {
                response = client.send(post, HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                last = new IOException("POST " + endpoint + ": " + describe(e), e);
                continue;
            }
            int status = response.statusCode();
            if (status / 100 == 2) {
                byte[] body = response.body();
                return body.length == 0 ? 0 : ExportTraceServiceResponse.parseFrom(body).getPartialSuccess().getRejectedSpans();
            }
            last = new IOException("POST " + endpoint + ": HTTP " + status + " " + excerpt(response.body()));
            if (status != 429 && status != 502 && status != 503 && status != 504) {
                break;
            }
        }
        throw last;
    }

    /** The first message in the cause chain (a refused connection has none at the top), with its type. */
    private static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException) {
                return "cannot connect (refused or unreachable; is the receiver running?)";
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getClass().getSimpleName() + ": " + t.getMessage();
            }
        }
        return e.getClass().getSimpleName();
    }

    private static String excerpt(byte[] body) {
        String s = new String(body, java.nio.charset.StandardCharsets.UTF_8).strip();
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
