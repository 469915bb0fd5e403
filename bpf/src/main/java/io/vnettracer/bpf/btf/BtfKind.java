package io.vnettracer.bpf.btf;

/** The kinds of BTF type, numbered as BTF_KIND_* in include/uapi/linux/btf.h. */
public enum BtfKind {
    /** Type id 0, {@code void}: the only type of kind BTF_KIND_UNKN. */
    VOID(0),
    INT(1),
    PTR(2),
    ARRAY(3),
    STRUCT(4),
    UNION(5),
    ENUM(6),
    FWD(7),
    TYPEDEF(8),
    VOLATILE(9),
    CONST(10),
    RESTRICT(11),
    FUNC(12),
    FUNC_PROTO(13),
    VAR(14),
    DATASEC(15),
    FLOAT(16),
    DECL_TAG(17),
    TYPE_TAG(18),
    ENUM64(19);

    private static final BtfKind[] BY_NUMBER = values();

    private final int number;

    BtfKind(int number) {
        this.number = number;
    }

    /** The kernel's BTF_KIND_* number. */
    public int number() {
        return number;
    }

    /** The kind numbered {@code number}, or null if this library does not know it. */
    static BtfKind ofNumber(int number) {
        return number >= 0 && number < BY_NUMBER.length ? BY_NUMBER[number] : null;
    }
}
