package io.vnettracer.bpf.features;

import io.vnettracer.bpf.prog.AttachType;
import io.vnettracer.bpf.prog.ProgramType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Probes what this machine offers an eBPF tracer. Every check is one named {@link Supplier} in
 * {@link #checks}, run on first request and cached; a check that throws is reported as
 * unsupported with the failure as its reason, so one broken probe never hides the others.
 *
 * <p>Checks that read files run anywhere, also without privileges. Checks of what the kernel
 * accepts (program types, attach points, the ring buffer) answer by loading a minimal program.
 */
public final class Features {
    public static final String KERNEL_VERSION = "kernel-version";
    public static final String JDK = "jdk";
    public static final String PRIVILEGES = "privileges";
    public static final String BTF = "btf";
    public static final String BPFFS = "bpffs";
    public static final String TRACEFS = "tracefs";
    public static final String CGROUP_V2 = "cgroup-v2";
    public static final String RING_BUFFER = "ring-buffer";
    public static final String TCX = "tcx";
    public static final String LEGACY_TC = "legacy-tc";
    public static final String TP_BTF = "tp-btf";
    public static final String RAW_TP = "raw-tp";
    public static final String FENTRY = "fentry";
    public static final String SOCK_OPS = "sock-ops";
    public static final String CGROUP_SKB = "cgroup-skb";
    public static final String XDP = "xdp";
    public static final String SOCKET_FILTER = "socket-filter";

    /** BPF ring buffers and CAP_BPF/CAP_PERFMON both arrived in Linux 5.8; nothing older will do. */
    public static final KernelVersion MINIMUM_KERNEL = new KernelVersion(5, 8, 0);
    /** The Foreign Function and Memory API and the language level the runtime is built for. */
    public static final int MINIMUM_JDK = 25;
    /** Capabilities a process needs to load, attach and scope probes to namespaces. */
    public static final Set<Capability> NEEDED_CAPABILITIES = Collections.unmodifiableSet(
            new LinkedHashSet<>(List.of(
                    Capability.CAP_BPF, Capability.CAP_NET_ADMIN, Capability.CAP_PERFMON, Capability.CAP_SYS_ADMIN)));

    private static final Path OSRELEASE = Path.of("/proc/sys/kernel/osrelease");
    private static final Path VMLINUX_BTF = Path.of("/sys/kernel/btf/vmlinux");
    /** BTF_MAGIC from include/uapi/linux/btf.h, the first u16 of struct btf_header (host order). */
    private static final int BTF_MAGIC = 0xeB9F;

    private final Map<String, Supplier<Feature>> checks;
    private final Map<String, Feature> results = new ConcurrentHashMap<>();

    public Features() {
        Map<String, Supplier<Feature>> c = new LinkedHashMap<>();
        c.put(KERNEL_VERSION, this::kernelVersion);
        c.put(JDK, Features::jdk);
        c.put(PRIVILEGES, this::privileges);
        c.put(BTF, Features::btf);
        c.put(BPFFS, () -> mounted(BPFFS, "bpf", "mount -t bpf bpf /sys/fs/bpf"));
        c.put(TRACEFS, () -> mounted(TRACEFS, "tracefs", "mount -t tracefs tracefs /sys/kernel/tracing"));
        c.put(CGROUP_V2, () -> mounted(CGROUP_V2, "cgroup2", "mount -t cgroup2 none /sys/fs/cgroup/unified"));
        c.put(RING_BUFFER, KernelProbes::ringBuffer);
        c.put(TCX, KernelProbes::tcx);
        c.put(LEGACY_TC, KernelProbes::legacyTc);
        c.put(TP_BTF, KernelProbes::tpBtf);
        c.put(RAW_TP, KernelProbes::rawTracepoint);
        c.put(FENTRY, KernelProbes::fentry);
        c.put(SOCK_OPS, () -> KernelProbes.loads(SOCK_OPS, ProgramType.SOCK_OPS, AttachType.CGROUP_SOCK_OPS));
        c.put(CGROUP_SKB, () -> KernelProbes.loads(CGROUP_SKB, ProgramType.CGROUP_SKB, AttachType.CGROUP_INET_EGRESS));
        c.put(XDP, () -> KernelProbes.loads(XDP, ProgramType.XDP, AttachType.XDP));
        c.put(SOCKET_FILTER, () -> KernelProbes.loads(SOCKET_FILTER, ProgramType.SOCKET_FILTER, null));
        this.checks = c;
    }

    /** For tests: a probe set of the caller's own checks. */
    Features(Map<String, Supplier<Feature>> checks) {
        this.checks = new LinkedHashMap<>(checks);
    }

    /** The names of every check, in the order {@link #probeAll()} reports them. */
    public List<String> names() {
        return List.copyOf(checks.keySet());
    }

    /** Runs (once) and returns one check; unknown names are a programming error. */
    public Feature probe(String name) {
        Supplier<Feature> check = checks.get(name);
        if (check == null) {
            throw new IllegalArgumentException("no feature check named '" + name + "'; known: " + names());
        }
        return results.computeIfAbsent(name, n -> run(n, check));
    }

    /** Runs every check (each at most once per instance) and returns them in order. */
    public List<Feature> probeAll() {
        List<Feature> all = new ArrayList<>(checks.size());
        for (String name : checks.keySet()) {
            all.add(probe(name));
        }
        return all;
    }

    private static Feature run(String name, Supplier<Feature> check) {
        try {
            Feature f = check.get();
            if (!f.name().equals(name)) {
                throw new IllegalStateException("check '" + name + "' answered for '" + f.name() + "'");
            }
            return f;
        } catch (RuntimeException e) {
            return Feature.no(name, "check failed: " + describe(e));
        }
    }

    private static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            sb.append(": ").append(c.getClass().getSimpleName()).append(' ').append(c.getMessage());
        }
        return sb.toString();
    }

    private Feature kernelVersion() {
        String release;
        try {
            release = Files.readString(OSRELEASE).strip();
        } catch (IOException e) {
            return Feature.no(KERNEL_VERSION, "cannot read " + OSRELEASE + ": " + e);
        }
        return kernelVersion(release);
    }

    /** The kernel-version verdict for a release string such as {@code 6.18.44-fc-v657}. */
    static Feature kernelVersion(String release) {
        KernelVersion v = KernelVersion.parse(release);
        return v.atLeast(MINIMUM_KERNEL)
                ? Feature.yes(KERNEL_VERSION, release + " (needs >= " + MINIMUM_KERNEL + ")")
                : Feature.no(KERNEL_VERSION, release + " is older than " + MINIMUM_KERNEL
                        + ", which brought BPF ring buffers and CAP_BPF");
    }

    private static Feature jdk() {
        Runtime.Version v = Runtime.version();
        String where = v + " at " + System.getProperty("java.home");
        return v.feature() >= MINIMUM_JDK
                ? Feature.yes(JDK, where)
                : Feature.no(JDK, where + " is older than " + MINIMUM_JDK);
    }

    private Feature privileges() {
        return privileges(Privileges.ofCurrentProcess());
    }

    /** The privileges verdict for a process with the given uid and effective capabilities. */
    static Feature privileges(Privileges p) {
        List<Capability> missing = p.missing(NEEDED_CAPABILITIES);
        String uid = "euid " + p.effectiveUid();
        if (missing.isEmpty()) {
            return Feature.yes(PRIVILEGES, uid + ", effective " + names(NEEDED_CAPABILITIES));
        }
        return Feature.no(PRIVILEGES, uid + ", missing " + names(missing)
                + (p.isRoot() ? " (root without them: a restricted container?)" : " (run as root)"));
    }

    private static String names(Collection<Capability> caps) {
        return caps.stream().map(Enum::name).collect(Collectors.joining(", "));
    }

    private static Feature btf() {
        try (InputStream in = Files.newInputStream(VMLINUX_BTF)) {
            byte[] head = in.readNBytes(2);
            int magic = head.length == 2 ? hostOrderU16(head) : -1;
            if (magic != BTF_MAGIC) {
                return Feature.no(BTF, VMLINUX_BTF + " does not start with the BTF magic 0xeb9f");
            }
            return Feature.yes(BTF, "readable at " + VMLINUX_BTF);
        } catch (NoSuchFileException e) {
            return Feature.no(BTF, "no " + VMLINUX_BTF + ": the kernel was built without CONFIG_DEBUG_INFO_BTF");
        } catch (AccessDeniedException e) {
            return Feature.no(BTF, VMLINUX_BTF + " is not readable by this user");
        } catch (IOException e) {
            return Feature.no(BTF, "reading " + VMLINUX_BTF + " failed: " + e);
        }
    }

    private static int hostOrderU16(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).getShort() & 0xffff;
    }

    private static Feature mounted(String name, String type, String howToMount) {
        return mounted(name, type, MountTable.ofCurrentProcess(), howToMount);
    }

    /** Whether a filesystem of {@code type} is mounted, and where. */
    static Feature mounted(String name, String type, MountTable mounts, String howToMount) {
        return mounts.firstOfType(type)
                .map(m -> Feature.yes(name, "mounted at " + m.mountPoint()))
                .orElseGet(() -> Feature.no(name, "no " + type + " mount in /proc/self/mounts (" + howToMount + ")"));
    }
}
