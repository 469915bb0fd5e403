package io.vnettracer.export.otlp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Headers sent with every OTLP request, typically a receiver's credentials ({@code Authorization}).
 * Never from the command line, which every user of the host can read in /proc/PID/cmdline: from a
 * file ({@code --otlp-headers-file}, one {@code Name: value} a line, '#' comments) or from the
 * OpenTelemetry variable {@link #ENVIRONMENT} ({@code name=value,name=value}, values URL-encoded).
 */
public final class OtlpHeaders {
    public static final String ENVIRONMENT = "OTEL_EXPORTER_OTLP_HEADERS";
    /** RFC 9110 token characters. */
    private static final Pattern NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private OtlpHeaders() {}

    /** Reads {@code Name: value} lines; a message names the file and line of a bad one. */
    public static Map<String, String> fromFile(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("--otlp-headers-file " + file + ": cannot read it: " + e.getMessage(), e);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            String where = "--otlp-headers-file " + file + " line " + (i + 1);
            if (colon <= 0) {
                throw new IllegalArgumentException(where + ": give 'Name: value'");
            }
            put(headers, where, line.substring(0, colon).strip(), line.substring(colon + 1).strip());
        }
        return headers;
    }

    /** Parses the OpenTelemetry variable's value ({@code null}: no headers). */
    public static Map<String, String> fromEnvironment(String value) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (value == null || value.isBlank()) {
            return headers;
        }
        for (String pair : value.split(",")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(ENVIRONMENT + ": give name=value pairs separated by ','");
            }
            String name = pair.substring(0, eq).strip();
            String decoded;
            try {
                decoded = URLDecoder.decode(pair.substring(eq + 1).strip(), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(ENVIRONMENT + ": the value of '" + name + "' is not URL-encoded: " + e.getMessage());
            }
            put(headers, ENVIRONMENT, name, decoded);
        }
        return headers;
    }

    private static void put(Map<String, String> headers, String where, String name, String value) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(where + ": '" + name + "' is not a header name");
        }
        if (value.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
            throw new IllegalArgumentException(where + ": the value of " + name + " holds a control character");
        }
        headers.put(name, value);
    }
}
