package io.vnettracer.bpf.sys;

/**
 * A failed system call. Says which call or bpf(2) command failed, what was being done, the
 * errno by name and, for program loads, the verifier's log.
 */
public class BpfException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String command;
    private final int errno;
    private final String verifierLog;

    public BpfException(String command, int errno, String context, String verifierLog) {
        this(command, errno, context, verifierLog, null);
    }

    /** With a further block of text after the verifier log (e.g. the program's listing). */
    protected BpfException(String command, int errno, String context, String verifierLog, String appendix) {
        super(format(command, errno, context, verifierLog) + (appendix == null ? "" : "\n" + appendix));
        this.command = command;
        this.errno = errno;
        this.verifierLog = verifierLog == null ? "" : verifierLog;
    }

    public BpfException(String command, int errno, String context) {
        this(command, errno, context, null);
    }

    private static String format(String command, int errno, String context, String log) {
        StringBuilder sb = new StringBuilder();
        if (context != null && !context.isEmpty()) {
            sb.append(context).append(": ");
        }
        sb.append(command).append(" failed: ").append(Errno.name(errno))
                .append(" (").append(Errno.describe(errno)).append(')');
        if (log != null && !log.isBlank()) {
            sb.append("\nverifier log:\n").append(log.strip());
        }
        return sb.toString();
    }

    /** The bpf(2) command or system call that failed, e.g. {@code BPF_PROG_LOAD}. */
    public String command() {
        return command;
    }

    public int errno() {
        return errno;
    }

    /** The symbolic errno, e.g. {@code EPERM}. */
    public String errnoName() {
        return Errno.name(errno);
    }

    /** The verifier's log for a failed program load; empty for other failures. */
    public String verifierLog() {
        return verifierLog;
    }
}
