package io.vnettracer.export.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OTLP headers (credentials) come from a file or OTEL_EXPORTER_OTLP_HEADERS; a URL holding credentials is refused. */
class OtlpHeadersTest {
    @Test
    void aHeadersFileHoldsNameValueLines(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("h"), "# the receiver's token\nAuthorization: Bearer abc:def\n\nX-Scope-OrgID: lab\n");
        assertEquals(Map.of("Authorization", "Bearer abc:def", "X-Scope-OrgID", "lab"), OtlpHeaders.fromFile(file));
        Path bad = Files.writeString(dir.resolve("bad"), "Authorization Bearer x\n");
        assertEquals("--otlp-headers-file " + bad + " line 1: give 'Name: value'",
                assertThrows(IllegalArgumentException.class, () -> OtlpHeaders.fromFile(bad)).getMessage());
    }

    @Test
    void theOpenTelemetryVariableIsUrlDecoded() {
        assertEquals(Map.of("Authorization", "Basic dXNlcjpwYXNz==", "api-key", "a b"),
                OtlpHeaders.fromEnvironment("Authorization=Basic%20dXNlcjpwYXNz%3D%3D, api-key=a+b"));
        assertEquals(Map.of(), OtlpHeaders.fromEnvironment(null));
        assertThrows(IllegalArgumentException.class, () -> OtlpHeaders.fromEnvironment("novalue"));
        assertThrows(IllegalArgumentException.class, () -> OtlpHeaders.fromEnvironment("X=a%0Ab"), "no header splitting");
    }

    @Test
    void aUrlWithCredentialsIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OtlpSink.endpoint("https://user:secret@otlp.example:4318"));
        assertEquals("--otlp: the URL holds credentials, which every user can read on the command line; put them in"
                + " --otlp-headers-file FILE (e.g. 'Authorization: Basic ...') or OTEL_EXPORTER_OTLP_HEADERS", e.getMessage());
    }
}
