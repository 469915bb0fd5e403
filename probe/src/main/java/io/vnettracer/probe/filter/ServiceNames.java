package io.vnettracer.probe.filter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Port names as tcpdump reads them: from the system's services database ({@code /etc/services},
 * what getservbyname(3) reads), TCP and UDP entries, names and aliases. Read once, locally; no
 * name is ever looked up over the network (host names are not resolved at all).
 */
final class ServiceNames {
    static final Path SERVICES = Path.of("/etc/services");

    private static volatile Map<String, Integer> ports;

    private ServiceNames() {}

    /** The port named {@code name}, or empty if the services database has none (or there is no database). */
    static OptionalInt port(String name) {
        Integer port = ports().get(name);
        return port == null ? OptionalInt.empty() : OptionalInt.of(port);
    }

    private static Map<String, Integer> ports() {
        Map<String, Integer> loaded = ports;
        if (loaded == null) {
            loaded = read(SERVICES);
            ports = loaded;
        }
        return loaded;
    }

    /** "name port/protocol aliases... # comment"; the first entry for a name wins, as in getservbyname. */
    static Map<String, Integer> read(Path file) {
        Map<String, Integer> out = new HashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                int hash = line.indexOf('#');
                String[] fields = (hash >= 0 ? line.substring(0, hash) : line).trim().split("\\s+");
                if (fields.length < 2) {
                    continue;
                }
                String[] portAndProtocol = fields[1].split("/");
                if (portAndProtocol.length != 2 || !(portAndProtocol[1].equals("tcp") || portAndProtocol[1].equals("udp"))
                        || !portAndProtocol[0].chars().allMatch(Character::isDigit) || portAndProtocol[0].isEmpty()
                        || portAndProtocol[0].length() > 5) {
                    continue;
                }
                int port = Integer.parseInt(portAndProtocol[0]);
                for (int i = 0; i < fields.length; i++) {
                    if (i != 1) {
                        out.putIfAbsent(fields[i], port);
                    }
                }
            }
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the services database " + file + ": " + e.getMessage(), e);
        }
        return Map.copyOf(out);
    }
}
