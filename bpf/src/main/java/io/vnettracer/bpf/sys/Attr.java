package io.vnettracer.bpf.sys;

/**
 * Byte offsets of the fields of union bpf_attr (include/uapi/linux/bpf.h) for each command we use,
 * and of the info structures the kernel fills in. Named after the kernel's fields.
 */
public final class Attr {
    private Attr() {}

    /** BPF_MAP_CREATE. */
    public static final class MapCreate {
        public static final int MAP_TYPE = 0;
        public static final int KEY_SIZE = 4;
        public static final int VALUE_SIZE = 8;
        public static final int MAX_ENTRIES = 12;
        public static final int MAP_FLAGS = 16;
        public static final int INNER_MAP_FD = 20;
        public static final int NUMA_NODE = 24;
        public static final int MAP_NAME = 28;
        public static final int MAP_IFINDEX = 44;
        public static final int BTF_FD = 48;
        public static final int BTF_KEY_TYPE_ID = 52;
        public static final int BTF_VALUE_TYPE_ID = 56;
        private MapCreate() {}
    }

    /** BPF_MAP_LOOKUP_ELEM, _UPDATE_ELEM, _DELETE_ELEM, _GET_NEXT_KEY. */
    public static final class MapElem {
        public static final int MAP_FD = 0;
        public static final int KEY = 8;
        public static final int VALUE = 16;
        /** The same slot as VALUE, for BPF_MAP_GET_NEXT_KEY. */
        public static final int NEXT_KEY = 16;
        public static final int FLAGS = 24;
        private MapElem() {}
    }

    /** BPF_PROG_LOAD. */
    public static final class ProgLoad {
        public static final int PROG_TYPE = 0;
        public static final int INSN_CNT = 4;
        public static final int INSNS = 8;
        public static final int LICENSE = 16;
        public static final int LOG_LEVEL = 24;
        public static final int LOG_SIZE = 28;
        public static final int LOG_BUF = 32;
        public static final int KERN_VERSION = 40;
        public static final int PROG_FLAGS = 44;
        public static final int PROG_NAME = 48;
        public static final int PROG_IFINDEX = 64;
        public static final int EXPECTED_ATTACH_TYPE = 68;
        public static final int PROG_BTF_FD = 72;
        public static final int ATTACH_BTF_ID = 108;
        public static final int ATTACH_BTF_OBJ_FD = 112;
        public static final int LOG_TRUE_SIZE = 140;
        private ProgLoad() {}
    }

    /** BPF_MAP_LOOKUP_BATCH, _DELETE_BATCH (struct { ... } batch). */
    public static final class MapBatch {
        public static final int IN_BATCH = 0;
        public static final int OUT_BATCH = 8;
        public static final int KEYS = 16;
        public static final int VALUES = 24;
        public static final int COUNT = 32;
        public static final int MAP_FD = 36;
        public static final int ELEM_FLAGS = 40;
        public static final int FLAGS = 48;
        private MapBatch() {}
    }

    /** BPF_PROG_TEST_RUN. */
    public static final class TestRun {
        public static final int PROG_FD = 0;
        public static final int RETVAL = 4;
        public static final int DATA_SIZE_IN = 8;
        public static final int DATA_SIZE_OUT = 12;
        public static final int DATA_IN = 16;
        public static final int DATA_OUT = 24;
        public static final int REPEAT = 32;
        public static final int DURATION = 36;
        public static final int CTX_SIZE_IN = 40;
        public static final int CTX_SIZE_OUT = 44;
        public static final int CTX_IN = 48;
        public static final int CTX_OUT = 56;
        public static final int FLAGS = 64;
        public static final int CPU = 68;
        private TestRun() {}
    }

    /** BPF_BTF_LOAD. */
    public static final class BtfLoad {
        public static final int BTF = 0;
        public static final int BTF_LOG_BUF = 8;
        public static final int BTF_SIZE = 16;
        public static final int BTF_LOG_SIZE = 20;
        public static final int BTF_LOG_LEVEL = 24;
        private BtfLoad() {}
    }

    /** BPF_OBJ_PIN and BPF_OBJ_GET. */
    public static final class Obj {
        public static final int PATHNAME = 0;
        public static final int BPF_FD = 8;
        public static final int FILE_FLAGS = 12;
        private Obj() {}
    }

    /** BPF_OBJ_GET_INFO_BY_FD. */
    public static final class InfoByFd {
        public static final int BPF_FD = 0;
        public static final int INFO_LEN = 4;
        public static final int INFO = 8;
        private InfoByFd() {}
    }

    /** BPF_PROG_GET_NEXT_ID, BPF_LINK_GET_NEXT_ID, BPF_*_GET_FD_BY_ID. */
    public static final class GetId {
        public static final int START_ID = 0;
        /** The same slot as START_ID: prog_id, map_id, link_id for *_GET_FD_BY_ID. */
        public static final int ID = 0;
        public static final int NEXT_ID = 4;
        public static final int OPEN_FLAGS = 8;
        private GetId() {}
    }

    /** BPF_PROG_QUERY. */
    public static final class ProgQuery {
        public static final int TARGET_FD = 0;
        public static final int TARGET_IFINDEX = 0;
        public static final int ATTACH_TYPE = 4;
        public static final int QUERY_FLAGS = 8;
        public static final int ATTACH_FLAGS = 12;
        public static final int PROG_IDS = 16;
        public static final int PROG_CNT = 24;
        public static final int PROG_ATTACH_FLAGS = 32;
        public static final int LINK_IDS = 40;
        public static final int LINK_ATTACH_FLAGS = 48;
        public static final int REVISION = 56;
        private ProgQuery() {}
    }

    /** BPF_RAW_TRACEPOINT_OPEN. */
    public static final class RawTracepointOpen {
        public static final int NAME = 0;
        public static final int PROG_FD = 8;
        private RawTracepointOpen() {}
    }

    /** BPF_LINK_CREATE. */
    public static final class LinkCreate {
        public static final int PROG_FD = 0;
        public static final int TARGET_FD = 4;
        public static final int TARGET_IFINDEX = 4;
        public static final int ATTACH_TYPE = 8;
        public static final int FLAGS = 12;
        /** tracing: target_btf_id; tcx: relative_fd or relative_id. */
        public static final int TARGET_BTF_ID = 16;
        public static final int TCX_RELATIVE_FD = 16;
        public static final int TCX_EXPECTED_REVISION = 24;
        private LinkCreate() {}
    }

    /** BPF_LINK_UPDATE. */
    public static final class LinkUpdate {
        public static final int LINK_FD = 0;
        public static final int NEW_PROG_FD = 4;
        public static final int FLAGS = 8;
        public static final int OLD_PROG_FD = 12;
        private LinkUpdate() {}
    }

    /** BPF_LINK_DETACH. */
    public static final class LinkDetach {
        public static final int LINK_FD = 0;
        private LinkDetach() {}
    }

    /** struct bpf_prog_info: the fields we read. */
    public static final class ProgInfo {
        public static final int TYPE = 0;
        public static final int ID = 4;
        public static final int TAG = 8;
        public static final int SIZE = 232;
        private ProgInfo() {}
    }

    /** struct bpf_map_info: the fields we read. */
    public static final class MapInfo {
        public static final int TYPE = 0;
        public static final int ID = 4;
        public static final int KEY_SIZE = 8;
        public static final int VALUE_SIZE = 12;
        public static final int MAX_ENTRIES = 16;
        public static final int MAP_FLAGS = 20;
        public static final int NAME = 24;
        public static final int SIZE = 96;
        private MapInfo() {}
    }

    /** struct bpf_link_info: the fields we read; the per-type union starts at 16. */
    public static final class LinkInfo {
        public static final int TYPE = 0;
        public static final int ID = 4;
        public static final int PROG_ID = 8;
        public static final int TCX_IFINDEX = 16;
        public static final int TCX_ATTACH_TYPE = 20;
        public static final int SIZE = 64;
        private LinkInfo() {}
    }
}
