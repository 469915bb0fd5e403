package io.vnettracer.export.prometheus;

/**
 * Where the metrics server listens: {@code [HOST:]PORT}, loopback unless a host is given, because
 * the metrics name the traced hosts and ports. IPv6 hosts go in brackets: {@code [::1]:9464}.
 */
public record ListenAddress(String host, int port) {
    public static final String DEFAULT_HOST = "127.0.0.1";

    public ListenAddress {
        if (host == null || host.isBlank()) throw new IllegalArgumentException("no host in the listen address");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port " + port + " is not in 0..65535");
    }

    /** Parses {@code PORT}, {@code HOST:PORT} or {@code [IPV6]:PORT}; a message says what is wrong. */
    public static ListenAddress parse(String text) {
        String s = text == null ? "" : text.strip();
        String host = DEFAULT_HOST;
        String port = s;
        int colon = s.lastIndexOf(':');
        if (colon >= 0) {
            host = s.substring(0, colon);
            port = s.substring(colon + 1);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            } else if (host.contains(":")) {
                throw new IllegalArgumentException("'" + text + "': put an IPv6 host in brackets, e.g. [::1]:9464");
            }
            if (host.isEmpty()) {
                throw new IllegalArgumentException("'" + text + "': no host before ':' (give PORT alone for " + DEFAULT_HOST + ")");
            }
        }
        try {
            return new ListenAddress(host, Integer.parseInt(port));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not [HOST:]PORT: '" + port + "' is not a port number");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "': " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
