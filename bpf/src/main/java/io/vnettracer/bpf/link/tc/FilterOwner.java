package io.vnettracer.bpf.link.tc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Who attached a filter, written into the filter's name: {@code vnt-PID-START-PIDNS-PROBE}. The
 * process's start time (clock ticks since boot, field 22 of /proc/PID/stat) tells a reused pid from
 * the owner; the pid namespace's inode keeps us from judging owners whose pids we cannot see.
 *
 * @param pid the owner's process id, in its pid namespace
 * @param startTime the owner's start time in clock ticks since boot
 * @param pidNamespace inode of the owner's pid namespace
 * @param probe the probe the filter belongs to
 */
public record FilterOwner(int pid, long startTime, long pidNamespace, String probe) {
    /** Every filter name this library gives starts with this. */
    public static final String PREFIX = "vnt-";

    public FilterOwner {
        if (probe == null || probe.isEmpty()) {
            throw new IllegalArgumentException("a filter needs a probe name");
        }
    }

    /** This process as the owner of {@code probe}'s filter. */
    public static FilterOwner ofThisProcess(String probe) {
        int pid = (int) ProcessHandle.current().pid();
        long start = startTime(pid).orElseThrow(() -> new IllegalStateException("cannot read /proc/" + pid + "/stat"));
        return new FilterOwner(pid, start, ownPidNamespace(), probe);
    }

    /** The TCA_BPF_NAME for this owner; throws if longer than cls_bpf accepts. */
    public String filterName() {
        String name = PREFIX + pid + "-" + startTime + "-" + pidNamespace + "-" + probe;
        if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length >= PktCls.CLS_BPF_NAME_LEN_MAX) {
            throw new IllegalArgumentException("probe name too long for a tc filter name: " + probe);
        }
        return name;
    }

    /** The owner encoded in a filter name, or empty if the name is not one of ours. */
    public static Optional<FilterOwner> parse(String filterName) {
        if (filterName == null || !filterName.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String[] parts = filterName.substring(PREFIX.length()).split("-", 4);
        if (parts.length != 4 || parts[3].isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new FilterOwner(Integer.parseInt(parts[0]), Long.parseLong(parts[1]),
                    Long.parseLong(parts[2]), parts[3]));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether the owner has certainly exited: it lived in our pid namespace and no process with its
     * pid and start time runs now. Owners in other pid namespaces are never judged gone.
     */
    public boolean isGone() {
        if (pidNamespace != ownPidNamespace()) {
            return false;
        }
        Optional<Long> now = startTime(pid);
        return now.isEmpty() || now.get() != startTime;
    }

    /** Field 22 (starttime) of /proc/PID/stat; empty if there is no such process. */
    static Optional<Long> startTime(int pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            // A process that exits while we read its stat file reads as an error, not as absent.
            if (!Files.exists(Path.of("/proc", Integer.toString(pid)))) {
                return Optional.empty();
            }
            throw new IllegalStateException("cannot read /proc/" + pid + "/stat: " + e.getMessage(), e);
        }
        return Optional.of(parseStartTime(stat));
    }

    /** proc(5): the command name in field 2 may hold spaces and parentheses, so count from the last ')'. */
    static long parseStartTime(String stat) {
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(after[22 - 3]);
    }

    static long ownPidNamespace() {
        try {
            String link = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
            return Long.parseLong(link.substring(link.indexOf('[') + 1, link.length() - 1));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/ns/pid: " + e.getMessage(), e);
        }
    }
}
