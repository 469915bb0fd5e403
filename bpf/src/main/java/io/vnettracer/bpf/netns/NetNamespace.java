package io.vnettracer.bpf.netns;

import io.vnettracer.bpf.sys.BpfException;
import io.vnettracer.bpf.sys.Errno;
import io.vnettracer.bpf.sys.Fd;
import io.vnettracer.bpf.sys.LibC;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * An open handle on a network namespace, and the means to run code on the calling thread inside it.
 *
 * <p>The handle holds a file descriptor of the namespace (as ip-netns(8) and nsenter(1) do), so it
 * keeps naming the same namespace even if the name is later removed or bound to another one, and
 * the namespace lives at least as long as the handle. Close it when done.
 *
 * <pre>{@code
 * try (NetNamespace ns = NetNamespace.named("blue")) {
 *     int ifindex = ns.run(() -> LibC.ifNameToIndex("veth0"));
 * }
 * }</pre>
 */
public final class NetNamespace implements AutoCloseable {
    /** Where ip-netns(8) bind-mounts named namespaces (iproute2's NETNS_RUN_DIR). */
    static final Path NAMED_DIR = Path.of("/var/run/netns");
    /** The calling thread's own namespace; /proc/self would name the main thread's. */
    private static final Path THREAD_NET = Path.of("/proc/thread-self/ns/net");
    /** proc(5): readlink of a namespace file gives "net:[inode]". */
    private static final String NET_LINK_PREFIX = "net:[";

    private final String description;
    private final String listLinksHint;
    private final Fd fd;
    private final long inode;

    private NetNamespace(String description, String listLinksHint, Fd fd, long inode) {
        this.description = description;
        this.listLinksHint = listLinksHint;
        this.fd = fd;
        this.inode = inode;
    }

    /** The namespace that {@code ip netns add NAME} created, i.e. /var/run/netns/NAME. */
    public static NetNamespace named(String name) {
        if (name == null || name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("not a network namespace name: '" + name + "'");
        }
        Path path = NAMED_DIR.resolve(name);
        String description = "network namespace '" + name + "'";
        String notFound = description + " not found: no " + path + "; create it with 'ip netns add " + name + "'";
        return open(path, description, "'ip -n " + name + " link'", notFound);
    }

    /** The namespace process {@code pid} is in, i.e. /proc/PID/ns/net. */
    public static NetNamespace ofPid(long pid) {
        if (pid <= 0) {
            throw new IllegalArgumentException("not a process id: " + pid);
        }
        Path path = Path.of("/proc", Long.toString(pid), "ns", "net");
        String description = "network namespace of process " + pid;
        String notFound = description + " not found: no " + path + "; is process " + pid + " still running?";
        return open(path, description, "'nsenter --net=" + path + " ip link'", notFound);
    }

    /** A namespace file bind-mounted elsewhere than /var/run/netns (container runtimes keep their own). */
    public static NetNamespace ofPath(Path path) {
        String description = "network namespace at " + path;
        return open(path, description, "'nsenter --net=" + path + " ip link'", description + " not found: no " + path);
    }

    /** The namespace the calling thread is in now; the handle keeps naming it after the thread moves. */
    public static NetNamespace current() {
        long inode = currentInode();
        return open(THREAD_NET, "network namespace net:[" + inode + "] of thread '" + Thread.currentThread().getName() + "'",
                "'ip link'", "no " + THREAD_NET + ": is /proc mounted?");
    }

    /** The inode number of the calling thread's network namespace, as {@code ls -L -i} and lsns(8) show it. */
    public static long currentInode() {
        return parseInode(readLink(THREAD_NET), THREAD_NET);
    }

    /** The names of the namespaces in /var/run/netns, sorted; empty if there are none. */
    public static List<String> list() {
        if (!Files.isDirectory(NAMED_DIR)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(NAMED_DIR)) {
            List<String> names = new ArrayList<>(entries.map(p -> p.getFileName().toString()).toList());
            names.sort(null);
            return names;
        } catch (IOException e) {
            throw new NetNamespaceException("cannot list named network namespaces in " + NAMED_DIR + ": " + e.getMessage(), e);
        }
    }

    private static NetNamespace open(Path path, String description, String listLinksHint, String notFound) {
        int raw;
        try {
            raw = LibC.open(path.toString(), LibC.O_RDONLY);
        } catch (BpfException e) {
            if (e.errno() == Errno.ENOENT) {
                throw new NetNamespaceException(notFound, e);
            }
            throw new NetNamespaceException("cannot open " + description + ": " + e.getMessage(), e);
        }
        Fd fd = new Fd(raw);
        try {
            // All namespace files live on the one nsfs pseudo-filesystem; anything else (e.g. a
            // leftover /var/run/netns entry whose bind mount is gone) is an ordinary file.
            Path opened = Path.of("/proc/self/fd", Integer.toString(raw));
            if (fileAttribute(opened, "unix:dev") != fileAttribute(THREAD_NET, "unix:dev")) {
                throw new NetNamespaceException(path + " is not a namespace file; a stale entry of ip-netns(8)"
                        + " can be removed with 'ip netns delete NAME'");
            }
            return new NetNamespace(description, listLinksHint, fd, fileAttribute(opened, "unix:ino"));
        } catch (RuntimeException e) {
            fd.close();
            throw e;
        }
    }

    private static long fileAttribute(Path path, String attribute) {
        try {
            return ((Number) Files.getAttribute(path, attribute)).longValue();
        } catch (IOException e) {
            throw new NetNamespaceException("cannot stat " + path + ": " + e.getMessage(), e);
        }
    }

    private static String readLink(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (NoSuchFileException e) {
            throw new NetNamespaceException("no " + link + ": is /proc mounted?", e);
        } catch (IOException e) {
            throw new NetNamespaceException("cannot read link " + link + ": " + e.getMessage(), e);
        }
    }

    static long parseInode(String linkTarget, Path where) {
        if (!linkTarget.startsWith(NET_LINK_PREFIX) || !linkTarget.endsWith("]")) {
            throw new NetNamespaceException(where + " is not a network namespace (it is " + linkTarget + ")");
        }
        return Long.parseLong(linkTarget, NET_LINK_PREFIX.length(), linkTarget.length() - 1, 10);
    }

    /** The namespace's inode number: equal inodes mean the same namespace. */
    public long inode() {
        return inode;
    }

    /** Whether the calling thread is in this namespace now. */
    public boolean isCurrent() {
        return currentInode() == inode;
    }

    /**
     * Runs {@code action} on the calling thread inside this namespace and moves the thread back to
     * its own namespace afterwards, also when the action throws. Sockets the action creates stay in
     * this namespace for their whole life; threads it starts stay in it too.
     *
     * @throws WrongThreadException on a virtual thread
     * @throws IllegalStateException if the thread could not be moved back (it is then unusable for
     *     namespace-sensitive work)
     */
    public <T, E extends Exception> T run(Action<T, E> action) throws E {
        Thread thread = Thread.currentThread();
        if (thread.isVirtual()) {
            throw new WrongThreadException("cannot enter " + description + " on virtual thread " + thread
                    + ": setns(2) moves only the carrier thread and the virtual thread may continue on another one;"
                    + " call NetNamespace.run from a platform thread (e.g. Thread.ofPlatform())");
        }
        long home = currentInode();
        if (home == inode) {
            return action.call();
        }
        try (Fd homeFd = new Fd(LibC.open(THREAD_NET.toString(), LibC.O_RDONLY))) {
            try {
                LibC.setns(fd.get(), LibC.CLONE_NEWNET, "entering " + description);
            } catch (BpfException e) {
                if (e.errno() == Errno.EINVAL) {
                    throw new NetNamespaceException(description + " is not a network namespace", e);
                }
                throw e;
            }
            try {
                return action.call();
            } finally {
                returnHome(homeFd, home);
            }
        }
    }

    /** {@link #run} for an action without a result. */
    public <E extends Exception> void execute(Task<E> task) throws E {
        run(() -> {
            task.run();
            return null;
        });
    }

    private void returnHome(Fd homeFd, long home) {
        try {
            LibC.setns(homeFd.get(), LibC.CLONE_NEWNET, "returning from " + description);
        } catch (BpfException e) {
            throw new IllegalStateException("thread '" + Thread.currentThread().getName()
                    + "' could not return to its network namespace net:[" + home + "] after running in "
                    + description + " and is left there", e);
        }
    }

    /** How a person lists the interfaces of this namespace, e.g. {@code 'ip -n blue link'}, for error messages. */
    String listLinksHint() {
        return listLinksHint;
    }

    /** Says which namespace this is, e.g. {@code network namespace 'blue'}. */
    public String description() {
        return description;
    }

    @Override
    public void close() {
        fd.close();
    }

    @Override
    public String toString() {
        return description + " (net:[" + inode + "])";
    }

    /** An action run inside a namespace, with a result. */
    @FunctionalInterface
    public interface Action<T, E extends Exception> {
        T call() throws E;
    }

    /** An action run inside a namespace, without a result. */
    @FunctionalInterface
    public interface Task<E extends Exception> {
        void run() throws E;
    }
}
