package io.vnettracer.bpf.netlink;

import io.vnettracer.bpf.sys.BpfException;

/**
 * The kernel refused a netlink request. Names the request (e.g. {@code RTM_NEWTFILTER}), the errno
 * and, when the kernel gave one through the extended acknowledgement, its own explanation.
 */
public class NetlinkException extends BpfException {
    private static final long serialVersionUID = 1L;

    private final String kernelMessage;

    public NetlinkException(String command, int errno, String context, String kernelMessage) {
        super(command, errno, context);
        this.kernelMessage = kernelMessage == null ? "" : kernelMessage;
    }

    /** The kernel's explanation from the extended acknowledgement; empty if it gave none. */
    public String kernelMessage() {
        return kernelMessage;
    }

    @Override
    public String getMessage() {
        return kernelMessage.isEmpty() ? super.getMessage() : super.getMessage() + "; the kernel says: " + kernelMessage;
    }
}
