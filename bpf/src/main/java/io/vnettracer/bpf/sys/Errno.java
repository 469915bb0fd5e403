package io.vnettracer.bpf.sys;

/** Linux errno values by name, from include/uapi/asm-generic/errno-base.h and errno.h. */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int ENXIO = 6;
    public static final int E2BIG = 7;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;
    public static final int ENOSPC = 28;
    public static final int ERANGE = 34;
    public static final int ENOSYS = 38;
    public static final int ELOOP = 40;
    public static final int ENOTSUP = 95;
    public static final int EOPNOTSUPP = 95;
    public static final int EADDRINUSE = 98;
    public static final int ENOTSUPP = 524; // kernel-internal, leaks out of bpf(2) on some paths

    private static final String[] NAMES = new String[134];

    static {
        String[] pairs = {
            "1", "EPERM", "2", "ENOENT", "3", "ESRCH", "4", "EINTR", "5", "EIO", "6", "ENXIO",
            "7", "E2BIG", "8", "ENOEXEC", "9", "EBADF", "10", "ECHILD", "11", "EAGAIN", "12", "ENOMEM",
            "13", "EACCES", "14", "EFAULT", "16", "EBUSY", "17", "EEXIST", "18", "EXDEV",
            "19", "ENODEV", "20", "ENOTDIR", "21", "EISDIR", "22", "EINVAL", "23", "ENFILE",
            "24", "EMFILE", "25", "ENOTTY", "27", "EFBIG", "28", "ENOSPC", "30", "EROFS",
            "32", "EPIPE", "34", "ERANGE", "36", "ENAMETOOLONG", "38", "ENOSYS", "39", "ENOTEMPTY",
            "40", "ELOOP", "61", "ENODATA", "62", "ETIME", "71", "EPROTO", "75", "EOVERFLOW",
            "88", "ENOTSOCK", "90", "EMSGSIZE", "93", "EPROTONOSUPPORT", "95", "EOPNOTSUPP",
            "97", "EAFNOSUPPORT", "98", "EADDRINUSE", "99", "EADDRNOTAVAIL", "100", "ENETDOWN",
            "105", "ENOBUFS", "110", "ETIMEDOUT", "111", "ECONNREFUSED", "114", "EALREADY",
            "115", "EINPROGRESS", "122", "EDQUOT", "125", "ECANCELED", "133", "EHWPOISON",
        };
        for (int i = 0; i < pairs.length; i += 2) {
            NAMES[Integer.parseInt(pairs[i])] = pairs[i + 1];
        }
    }

    private Errno() {}

    /** The symbolic name of an errno value, e.g. {@code EPERM}, or {@code errno 200} if unknown. */
    public static String name(int errno) {
        if (errno == ENOTSUPP) {
            return "ENOTSUPP";
        }
        if (errno > 0 && errno < NAMES.length && NAMES[errno] != null) {
            return NAMES[errno];
        }
        return "errno " + errno;
    }

    /** The C library's description of an errno value. */
    public static String describe(int errno) {
        return LibC.strerror(errno);
    }
}
