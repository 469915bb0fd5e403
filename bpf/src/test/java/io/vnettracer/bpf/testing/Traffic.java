package io.vnettracer.bpf.testing;

/**
 * Sends real datagrams with bash's /dev/udp, one per write, and returns how many the kernel
 * accepted: a connected UDP socket to a port nobody listens on gets ICMP errors back, which fail
 * some later writes, so the sender's own count is the ground truth.
 */
public final class Traffic {
    private Traffic() {}

    public static int udpFromNamespace(String namespace, String address, int port, int count) {
        return Integer.parseInt(Shell.run("ip", "netns", "exec", namespace, "bash", "-c", sendLoop(address, port, count)).strip());
    }

    /** The same from a shell placed in a cgroup first (to exercise cgroup programs). */
    public static int udpFromCgroup(String cgroupDir, String address, int port, int count) {
        return Integer.parseInt(Shell.run("bash", "-c", "echo $$ > " + cgroupDir + "/cgroup.procs; "
                + sendLoop(address, port, count)).strip());
    }

    private static String sendLoop(String address, int port, int count) {
        return "exec 3>/dev/udp/" + address + "/" + port + "; ok=0; for ((i=0;i<" + count + ";i++)); do "
                + "printf x >&3 2>/dev/null && ok=$((ok+1)); done; echo $ok";
    }
}
