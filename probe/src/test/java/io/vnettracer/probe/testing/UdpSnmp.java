package io.vnettracer.probe.testing;

import io.vnettracer.bpf.testing.Shell;
import java.util.HashMap;
import java.util.Map;

/** The Udp: and Ip: counters of /proc/net/snmp as a namespace's kernel keeps them. */
public final class UdpSnmp {
    private UdpSnmp() {}

    /** Counters named {@code Udp.InErrors}, {@code Ip.InHdrErrors}, ... */
    public static Map<String, Long> of(String namespace) {
        String[] lines = Shell.run("ip", "netns", "exec", namespace, "cat", "/proc/net/snmp").split("\n");
        Map<String, Long> counters = new HashMap<>();
        for (int i = 0; i + 1 < lines.length; i++) {
            String[] names = lines[i].trim().split("\\s+");
            String[] values = lines[i + 1].trim().split("\\s+");
            if (names[0].equals(values[0]) && (names[0].equals("Udp:") || names[0].equals("Ip:"))) {
                String group = names[0].substring(0, names[0].length() - 1);
                for (int k = 1; k < names.length && k < values.length; k++) {
                    counters.put(group + "." + names[k], Long.parseLong(values[k]));
                }
                i++;
            }
        }
        return counters;
    }

    /** How much each counter grew from {@code before} to {@code after}. */
    public static long delta(Map<String, Long> before, Map<String, Long> after, String name) {
        if (!after.containsKey(name)) {
            throw new IllegalArgumentException("no counter " + name + " in /proc/net/snmp");
        }
        return after.get(name) - before.getOrDefault(name, 0L);
    }
}
