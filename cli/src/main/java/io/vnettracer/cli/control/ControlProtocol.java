package io.vnettracer.cli.control;

/**
 * The control socket's protocol: one JSON object per line each way, a reply for every request.
 *
 * <pre>
 * {"op":"list"}
 * {"op":"add","name":"rx2","spec":"kernel:net_dev_queue:eth0","filter":"udp"}   filter optional
 * {"op":"remove","name":"rx2"}
 * {"op":"filter","name":"rx2","expression":"udp and port 53"}
 * {"op":"sample","name":"rx2","every":10}
 *
 * {"ok":true,"micros":412}                       list adds "probes":[{...}]
 * {"ok":false,"micros":35,"error":"no probe named 'x'; probes are [rx]"}
 * </pre>
 *
 * {@code micros} is the time the change took inside the trace (for list, the time to read the
 * counts). docs/CONTROL.md has the whole of it.
 */
public final class ControlProtocol {
    public static final String OP = "op";
    public static final String NAME = "name";
    public static final String SPEC = "spec";
    public static final String FILTER = "filter";
    public static final String EXPRESSION = "expression";
    public static final String EVERY = "every";
    public static final String OK = "ok";
    public static final String MICROS = "micros";
    public static final String ERROR = "error";
    public static final String PROBES = "probes";

    /** Longest request line accepted; a longer one is answered with an error and the connection closed. */
    public static final int MAX_LINE = 64 * 1024;

    private ControlProtocol() {}
}
