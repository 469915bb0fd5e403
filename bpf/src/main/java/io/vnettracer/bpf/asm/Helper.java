package io.vnettracer.bpf.asm;

import java.util.HashMap;
import java.util.Map;

/**
 * Kernel helper function ids, numbered as in the __BPF_FUNC_MAPPER list of
 * include/uapi/linux/bpf.h (enum bpf_func_id, BPF_FUNC_*). The ids are fixed kernel ABI: new
 * helpers are only ever appended. BtfKernelConstantsTest checks each against the running kernel.
 */
public final class Helper {
    private Helper() {}

    public static final int MAP_LOOKUP_ELEM = 1;
    public static final int MAP_UPDATE_ELEM = 2;
    public static final int MAP_DELETE_ELEM = 3;
    public static final int PROBE_READ = 4;
    public static final int KTIME_GET_NS = 5;
    public static final int TRACE_PRINTK = 6;
    public static final int GET_PRANDOM_U32 = 7;
    public static final int GET_SMP_PROCESSOR_ID = 8;
    public static final int SKB_STORE_BYTES = 9;
    public static final int L3_CSUM_REPLACE = 10;
    public static final int L4_CSUM_REPLACE = 11;
    public static final int TAIL_CALL = 12;
    public static final int GET_CURRENT_PID_TGID = 14;
    public static final int GET_CURRENT_COMM = 16;
    public static final int REDIRECT = 23;
    public static final int PERF_EVENT_OUTPUT = 25;
    public static final int SKB_LOAD_BYTES = 26;
    public static final int CSUM_DIFF = 28;
    public static final int SKB_CHANGE_TAIL = 38;
    public static final int SKB_PULL_DATA = 39;
    public static final int CSUM_UPDATE = 40;
    public static final int GET_SOCKET_COOKIE = 46;
    public static final int SKB_ADJUST_ROOM = 50;
    public static final int SOCK_OPS_CB_FLAGS_SET = 59;
    public static final int SKB_LOAD_BYTES_RELATIVE = 68;
    public static final int GET_CURRENT_CGROUP_ID = 80;
    public static final int PROBE_READ_KERNEL = 113;
    public static final int GET_NETNS_COOKIE = 122;
    public static final int KTIME_GET_BOOT_NS = 125;
    public static final int RINGBUF_OUTPUT = 130;
    public static final int RINGBUF_RESERVE = 131;
    public static final int RINGBUF_SUBMIT = 132;
    public static final int RINGBUF_DISCARD = 133;
    public static final int RINGBUF_QUERY = 134;
    public static final int LOAD_HDR_OPT = 142;
    public static final int STORE_HDR_OPT = 143;
    public static final int RESERVE_HDR_OPT = 144;
    public static final int GET_CURRENT_TASK_BTF = 158;
    public static final int KTIME_GET_COARSE_NS = 160;
    public static final int KTIME_GET_TAI_NS = 208;

    private static final Map<Integer, String> NAMES = new HashMap<>();

    static {
        for (var field : Helper.class.getFields()) {
            if (field.getType() == int.class) {
                try {
                    NAMES.put(field.getInt(null), "bpf_" + field.getName().toLowerCase(java.util.Locale.ROOT));
                } catch (IllegalAccessException e) {
                    throw new ExceptionInInitializerError(e);
                }
            }
        }
    }

    /** The helper's C name, e.g. {@code bpf_map_lookup_elem}, or {@code helper#N} if unnamed here. */
    public static String name(int id) {
        return NAMES.getOrDefault(id, "helper#" + id);
    }

    /** The helper's C name, or null if this class does not name it. */
    static String knownName(int id) {
        return NAMES.get(id);
    }

    /** Every helper this class names, id to C name. */
    public static Map<Integer, String> all() {
        return Map.copyOf(NAMES);
    }
}
