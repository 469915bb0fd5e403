package io.vnettracer.bpf.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Downcalls into the C library. Each wrapper returns the call's result or throws a
 * {@link BpfException} carrying the errno; none allocates on the Java heap except on failure.
 *
 * <p>errno is captured by the linker right after the call (Linker.Option.captureCallState) into a
 * per-thread segment, so a later call on the same thread cannot overwrite it first.
 */
public final class LibC {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private static final MethodHandle SYSCALL4 = downcall("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(1), CAPTURE_ERRNO);
    private static final MethodHandle SYSCALL6 = downcall("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(1), CAPTURE_ERRNO);
    private static final MethodHandle CLOSE = downcall("close",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle OPEN = downcall("open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
            Linker.Option.firstVariadicArg(2), CAPTURE_ERRNO);
    private static final MethodHandle MMAP = downcall("mmap",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG),
            CAPTURE_ERRNO);
    private static final MethodHandle MUNMAP = downcall("munmap",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG), CAPTURE_ERRNO);
    private static final MethodHandle EPOLL_CREATE1 = downcall("epoll_create1",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle EPOLL_CTL = downcall("epoll_ctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS), CAPTURE_ERRNO);
    private static final MethodHandle EPOLL_WAIT = downcall("epoll_wait",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle IF_NAMETOINDEX = downcall("if_nametoindex",
            FunctionDescriptor.of(JAVA_INT, ADDRESS), CAPTURE_ERRNO);
    private static final MethodHandle IF_INDEXTONAME = downcall("if_indextoname",
            FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS), CAPTURE_ERRNO);
    private static final MethodHandle SETNS = downcall("setns",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle UNSHARE = downcall("unshare",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle SOCKET = downcall("socket",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle BIND = downcall("bind",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle SETSOCKOPT = downcall("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle GETSOCKOPT = downcall("getsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), CAPTURE_ERRNO);
    private static final MethodHandle IOCTL = downcall("ioctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), Linker.Option.firstVariadicArg(2), CAPTURE_ERRNO);
    private static final MethodHandle SEND = downcall("send",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle RECV = downcall("recv",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle READ = downcall("read",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), CAPTURE_ERRNO);
    private static final MethodHandle STRERROR = downcall("strerror",
            FunctionDescriptor.of(ADDRESS, JAVA_INT));
    private static final MethodHandle SYSCONF = downcall("sysconf",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT));
    private static final MethodHandle GETPID = downcall("getpid", FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle GETEUID = downcall("geteuid", FunctionDescriptor.of(JAVA_INT));

    /** From include/uapi/asm-generic/fcntl.h. */
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_DIRECTORY = 0x10000;
    public static final int O_CLOEXEC = 0x80000;
    /** From include/uapi/asm-generic/mman-common.h. */
    public static final int PROT_READ = 1;
    public static final int PROT_WRITE = 2;
    public static final int MAP_SHARED = 1;
    /** From include/uapi/linux/eventpoll.h. */
    public static final int EPOLL_CLOEXEC = O_CLOEXEC;
    public static final int EPOLL_CTL_ADD = 1;
    public static final int EPOLL_CTL_DEL = 2;
    public static final int EPOLLIN = 1;
    /** From include/uapi/linux/sched.h. */
    public static final int CLONE_NEWNET = 0x40000000;
    /** From include/linux/socket.h. */
    public static final int AF_NETLINK = 16;
    /** From include/linux/net.h. */
    public static final int SOCK_RAW = 3;
    public static final int SOCK_CLOEXEC = O_CLOEXEC;
    /** From unistd.h (glibc): _SC_PAGESIZE. */
    private static final int SC_PAGESIZE = 30;

    private static final long PAGE_SIZE = sysconfUnchecked(SC_PAGESIZE);

    /** Per-thread space for the captured errno, so wrappers allocate nothing per call. */
    private static final ThreadLocal<MemorySegment> CAPTURE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE_LAYOUT));

    private LibC() {}

    private static MethodHandle downcall(String name, FunctionDescriptor fd, Linker.Option... options) {
        MemorySegment symbol = LIBC.find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + name));
        return LINKER.downcallHandle(symbol, fd, options);
    }

    private static MemorySegment capture() {
        return CAPTURE.get();
    }

    private static int errno(MemorySegment capture) {
        return (int) ERRNO.get(capture, 0L);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    /**
     * Calls syscall(nr, a, b, c). Returns the result, or minus the errno when it failed:
     * callers turn that into an exception with their own context.
     */
    public static long syscall(long nr, long a, long b, long c) {
        MemorySegment cap = capture();
        try {
            long r = (long) SYSCALL4.invokeExact(cap, nr, a, b, c);
            return r == -1 ? -errno(cap) : r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** syscall(nr, a..e); see {@link #syscall(long, long, long, long)}. */
    public static long syscall(long nr, long a, long b, long c, long d, long e) {
        MemorySegment cap = capture();
        try {
            long r = (long) SYSCALL6.invokeExact(cap, nr, a, b, c, d, e);
            return r == -1 ? -errno(cap) : r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** close(2); returns 0 or minus the errno. Never throws, so it is safe in cleanup paths. */
    public static int close(int fd) {
        MemorySegment cap = capture();
        try {
            int r = (int) CLOSE.invokeExact(cap, fd);
            return r == -1 ? -errno(cap) : r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** open(2) with O_CLOEXEC added. */
    public static int open(String path, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cap = capture();
            int r = (int) OPEN.invokeExact(cap, arena.allocateFrom(path), flags | O_CLOEXEC, 0);
            if (r < 0) {
                throw new BpfException("open", errno(cap), path);
            }
            return r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** mmap(2) of a file descriptor; the returned segment has the mapping's length. */
    public static MemorySegment mmap(long length, int prot, int flags, int fd, long offset, String what) {
        MemorySegment cap = capture();
        try {
            MemorySegment r = (MemorySegment) MMAP.invokeExact(cap, MemorySegment.NULL, length, prot, flags, fd, offset);
            if (r.address() == -1L) {
                throw new BpfException("mmap", errno(cap), what);
            }
            return r.reinterpret(length);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void munmap(MemorySegment mapping) {
        MemorySegment cap = capture();
        try {
            int r = (int) MUNMAP.invokeExact(cap, mapping, mapping.byteSize());
            if (r < 0) {
                throw new BpfException("munmap", errno(cap), "unmapping " + mapping.byteSize() + " bytes");
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int epollCreate() {
        MemorySegment cap = capture();
        try {
            int r = (int) EPOLL_CREATE1.invokeExact(cap, EPOLL_CLOEXEC);
            if (r < 0) {
                throw new BpfException("epoll_create1", errno(cap), "creating an epoll instance");
            }
            return r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** epoll_ctl(2); {@code event} is a struct epoll_event or NULL. */
    public static void epollCtl(int epfd, int op, int fd, MemorySegment event) {
        MemorySegment cap = capture();
        try {
            int r = (int) EPOLL_CTL.invokeExact(cap, epfd, op, fd, event);
            if (r < 0) {
                throw new BpfException("epoll_ctl", errno(cap), "registering fd " + fd + " with epoll");
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** epoll_wait(2); returns the number of ready events, 0 on timeout or EINTR. */
    public static int epollWait(int epfd, MemorySegment events, int maxEvents, int timeoutMillis) {
        MemorySegment cap = capture();
        try {
            int r = (int) EPOLL_WAIT.invokeExact(cap, epfd, events, maxEvents, timeoutMillis);
            if (r < 0) {
                int e = errno(cap);
                if (e == Errno.EINTR) {
                    return 0;
                }
                throw new BpfException("epoll_wait", e, "waiting for events");
            }
            return r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** if_nametoindex(3) in the calling thread's network namespace; 0 when there is no such interface. */
    public static int ifNameToIndex(String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cap = capture();
            return (int) IF_NAMETOINDEX.invokeExact(cap, arena.allocateFrom(name));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** if_indextoname(3); null when there is no interface with that index. */
    public static String ifIndexToName(int index) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cap = capture();
            MemorySegment buf = arena.allocate(16);
            MemorySegment r = (MemorySegment) IF_INDEXTONAME.invokeExact(cap, index, buf);
            return r.address() == 0 ? null : buf.getString(0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** setns(2) of the calling thread. */
    public static void setns(int fd, int nstype, String what) {
        MemorySegment cap = capture();
        try {
            int r = (int) SETNS.invokeExact(cap, fd, nstype);
            if (r < 0) {
                throw new BpfException("setns", errno(cap), what);
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * unshare(2). With {@link #CLONE_NEWNET} only the calling thread moves to a new, empty network
     * namespace, which disappears when nothing refers to it any more.
     */
    public static void unshare(int flags, String what) {
        MemorySegment cap = capture();
        try {
            int r = (int) UNSHARE.invokeExact(cap, flags);
            if (r < 0) {
                throw new BpfException("unshare", errno(cap), what);
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int socket(int domain, int type, int protocol, String what) {
        MemorySegment cap = capture();
        try {
            int r = (int) SOCKET.invokeExact(cap, domain, type | SOCK_CLOEXEC, protocol);
            if (r < 0) {
                throw new BpfException("socket", errno(cap), what);
            }
            return r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void bind(int fd, MemorySegment addr, String what) {
        MemorySegment cap = capture();
        try {
            int r = (int) BIND.invokeExact(cap, fd, addr, (int) addr.byteSize());
            if (r < 0) {
                throw new BpfException("bind", errno(cap), what);
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void setsockopt(int fd, int level, int option, MemorySegment value, String what) {
        MemorySegment cap = capture();
        try {
            int r = (int) SETSOCKOPT.invokeExact(cap, fd, level, option, value, (int) value.byteSize());
            if (r < 0) {
                throw new BpfException("setsockopt", errno(cap), what);
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** getsockopt(2) into {@code value}; returns the length the kernel wrote. */
    public static int getsockopt(int fd, int level, int option, MemorySegment value, String what) {
        MemorySegment cap = capture();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment length = arena.allocate(JAVA_INT);
            length.set(JAVA_INT, 0, (int) value.byteSize());
            int r = (int) GETSOCKOPT.invokeExact(cap, fd, level, option, value, length);
            if (r < 0) {
                throw new BpfException("getsockopt", errno(cap), what);
            }
            return length.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** ioctl(2) with a pointer argument. */
    public static void ioctl(int fd, long request, MemorySegment arg, String what) {
        MemorySegment cap = capture();
        try {
            int r = (int) IOCTL.invokeExact(cap, fd, request, arg);
            if (r < 0) {
                throw new BpfException("ioctl", errno(cap), what);
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long send(int fd, MemorySegment buf, long length, String what) {
        MemorySegment cap = capture();
        try {
            long r = (long) SEND.invokeExact(cap, fd, buf, length, 0);
            if (r < 0) {
                throw new BpfException("send", errno(cap), what);
            }
            return r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long recv(int fd, MemorySegment buf, String what) {
        MemorySegment cap = capture();
        try {
            long r = (long) RECV.invokeExact(cap, fd, buf, buf.byteSize(), 0);
            if (r < 0) {
                throw new BpfException("recv", errno(cap), what);
            }
            return r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long read(int fd, MemorySegment buf, String what) {
        MemorySegment cap = capture();
        try {
            long r = (long) READ.invokeExact(cap, fd, buf, buf.byteSize());
            if (r < 0) {
                throw new BpfException("read", errno(cap), what);
            }
            return r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            return s.reinterpret(256).getString(0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int getpid() {
        try {
            return (int) GETPID.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int geteuid() {
        try {
            return (int) GETEUID.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long pageSize() {
        return PAGE_SIZE;
    }

    private static long sysconfUnchecked(int name) {
        try {
            return (long) SYSCONF.invokeExact(name);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
