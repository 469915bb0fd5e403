package io.vnettracer.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * A lab's Open vSwitch: its own ovsdb-server and ovs-vswitchd, with database, sockets, pid and
 * log files in one run directory ({@code <state dir>/ovs-<lab>}), and one bridge on the userspace
 * datapath ({@code datapath_type=netdev}), as this kernel has no openvswitch module.
 *
 * <p>Both daemons run inside the switch namespace: the userspace datapath opens each port with an
 * AF_PACKET socket in the namespace ovs-vswitchd runs in, and a process there is also found (and
 * killed) by {@code down} through the namespace alone. Every tool gets {@code OVS_RUNDIR}, so that
 * nothing (the bridge's management sockets included) lands in the host's /var/run/openvswitch.
 */
final class OvsSwitch {
    static final String DB_SERVER = "ovsdb-server";
    static final String VSWITCHD = "ovs-vswitchd";
    /**
     * The userspace datapath sends each packet with sendmmsg on the out port's packet socket, and
     * a packet waiting in that port's qdisc (the lab's TBF) is charged to the socket's send buffer:
     * with the default 208 KiB a shaped port's queue fills the buffer before the qdisc's own limit,
     * and ovs-vswitchd drops what it cannot send, where no probe sees a reason (a sockperf message
     * lost so stalled the demo's ping-pong in 3 to 6 of 8 runs). The kernel datapath has no such
     * buffer. Sockets take the default when made, and this one is not per namespace, so the lab
     * sets it machine-wide before ovs-vswitchd opens its ports, and {@code down} puts it back.
     */
    static final String SEND_BUFFER_SYSCTL = "net.core.wmem_default";
    static final int SEND_BUFFER_BYTES = 4 << 20;
    static final List<String> DAEMONS = List.of(DB_SERVER, VSWITCHD);
    private static final Path SCHEMA = Path.of("/usr/share/openvswitch/vswitch.ovsschema");
    /** sun_path holds 108 bytes with the terminating NUL (unix(7)). */
    private static final int MAX_SOCKET_PATH = 107;

    private final Tools tools;
    private final Path dir;
    private final String namespace;
    private final String bridge;

    OvsSwitch(Tools tools, Path dir, String namespace, String bridge) {
        this.tools = tools;
        this.dir = dir;
        this.namespace = namespace;
        this.bridge = bridge;
    }

    /** The run directory of lab {@code lab}'s switch, beside its state file. */
    static Path runDirectory(Path stateDir, String lab) {
        return stateDir.toAbsolutePath().resolve("ovs-" + lab);
    }

    static boolean installed() {
        return Stream.of("/usr/sbin/ovs-vswitchd", "/usr/sbin/ovsdb-server", "/usr/bin/ovs-vsctl")
                .allMatch(p -> Files.isExecutable(Path.of(p)));
    }

    Path directory() {
        return dir;
    }

    String bridge() {
        return bridge;
    }

    /** Fails before anything is made when the tools are missing or a socket path would be too long. */
    void check() {
        if (!installed() || !Files.isReadable(SCHEMA)) {
            throw new LabException("switch.kind: ovs needs Open vSwitch (ovs-vswitchd, ovsdb-server, ovs-vsctl and "
                    + SCHEMA + "); install the package openvswitch-switch (scripts/setup does)");
        }
        String longest = dir.resolve(bridge + ".snoop").toString();
        if (longest.length() > MAX_SOCKET_PATH) {
            throw new LabException("the OVS switch's socket " + longest + " would be longer than " + MAX_SOCKET_PATH
                    + " characters (unix(7)); use a shorter --state-dir");
        }
    }

    void createDirectory() {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new LabException("cannot create the OVS run directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Starts {@code daemon} (one of {@link #DAEMONS}) detached, carrying {@code marker} in its
     * environment, and returns its pid, read from its pid file.
     */
    long start(String daemon, LabMarker marker) {
        List<String> command = new ArrayList<>(List.of("env", "OVS_RUNDIR=" + dir, "OVS_LOGDIR=" + dir, "OVS_DBDIR=" + dir,
                LabMarker.ENVIRONMENT_VARIABLE + "=" + marker.environmentValue()));
        if (daemon.equals(DB_SERVER)) {
            Path db = dir.resolve("conf.db");
            if (!Files.exists(db)) {
                tools.run("creating the OVS database", List.of("ovsdb-tool", "create", db.toString(), SCHEMA.toString()));
            }
            command.addAll(List.of(DB_SERVER, db.toString(), "--remote=punix:" + socket()));
        } else {
            command.addAll(List.of(VSWITCHD, "unix:" + socket()));
        }
        // --detach returns once the daemon is ready (its sockets listen), so what follows can use it at once.
        command.addAll(List.of("--unixctl=" + control(daemon), "--pidfile=" + pidFile(daemon),
                "--log-file=" + dir.resolve(daemon + ".log"), "--no-chdir", "--detach", "-vconsole:off"));
        tools.run("starting " + daemon, Tools.execIn(namespace, command));
        return pidFromFile(daemon).orElseThrow(() -> new LabException(daemon + " started but wrote no pid to " + pidFile(daemon)
                + "; see " + dir.resolve(daemon + ".log")));
    }

    /**
     * Initializes the database and keeps ovs-vswitchd small: one handler and one revalidator thread
     * (the lab's switch has a few ports; the default grows with the cores, which the lab's
     * workloads need).
     */
    void configure() {
        tools.run("initializing the OVS database", vsctl("--no-wait", "init", "--", "set", "open_vswitch", ".",
                "other_config:n-handler-threads=1", "other_config:n-revalidator-threads=1"));
    }

    void ensureBridge() {
        tools.run("creating the OVS bridge " + bridge, vsctl("--may-exist", "add-br", bridge,
                "--", "set", "bridge", bridge, "datapath_type=netdev"));
    }

    /**
     * Adds {@code port} to the bridge with QoS type linux-noop: without a QoS record ovs-vswitchd
     * deletes the port's root qdisc (it found our TBF "not its own" and removed it), with linux-noop
     * it leaves the qdisc to the lab.
     */
    void ensurePort(String port) {
        tools.run("attaching " + port + " to " + bridge, vsctl("--may-exist", "add-port", bridge, port));
        if (!tools.run("reading the QoS of " + port, vsctl("get", "port", port, "qos")).strip().startsWith("[")) {
            return; // a QoS record is there (ours, from an earlier up)
        }
        tools.run("leaving the qdisc of " + port + " to the lab", vsctl("--", "set", "port", port, "qos=@q",
                "--", "--id=@q", "create", "qos", "type=linux-noop"));
    }

    void removePort(String port) {
        tools.run("removing " + port + " from " + bridge, vsctl("--if-exists", "del-port", bridge, port));
    }

    /** The bridge's ports; empty if the bridge or the database is not there. */
    List<String> ports() {
        Tools.Result r = tools.attempt(vsctl("list-ports", bridge));
        return r.ok() ? r.output().lines().filter(l -> !l.isBlank()).toList() : List.of();
    }

    boolean bridgeExists() {
        return tools.attempt(vsctl("br-exists", bridge)).ok();
    }

    /** The bridge's datapath type as the database holds it, e.g. "netdev"; empty if unknown. */
    String datapathType() {
        Tools.Result r = tools.attempt(vsctl("get", "bridge", bridge, "datapath_type"));
        return r.ok() ? r.output().strip().replace("\"", "") : "";
    }

    /**
     * The pid in {@code daemon}'s pid file, if that process is alive and still this directory's
     * daemon (its command line names the directory), so a reused pid is never taken for it.
     */
    OptionalLong pidFromFile(String daemon) {
        return pidFromFile(dir, daemon);
    }

    static OptionalLong pidFromFile(Path dir, String daemon) {
        try {
            long pid = Long.parseLong(Files.readString(dir.resolve(daemon + ".pid")).strip());
            String cmdline = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8);
            return cmdline.contains(dir.toString()) && LabProcesses.startTime(pid).isPresent() ? OptionalLong.of(pid) : OptionalLong.empty();
        } catch (IOException | NumberFormatException gone) {
            return OptionalLong.empty();
        }
    }

    /** Removes a run directory and everything in it (database, sockets, logs); true if it is gone. */
    static boolean removeDirectory(Path dir) {
        if (!Files.exists(dir)) {
            return true;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private List<String> vsctl(String... args) {
        List<String> command = new ArrayList<>(List.of("env", "OVS_RUNDIR=" + dir, "ovs-vsctl", "--db=unix:" + socket(), "--timeout=10"));
        command.addAll(Arrays.asList(args));
        return command;
    }

    private Path socket() {
        return dir.resolve("db.sock");
    }

    private Path control(String daemon) {
        return dir.resolve(daemon + ".ctl");
    }

    private Path pidFile(String daemon) {
        return dir.resolve(daemon + ".pid");
    }
}
