package io.vnettracer.bpf.btf;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One decoded BTF type: a record per kind, mirroring {@code struct btf_type} and the data that
 * follows it (include/uapi/linux/btf.h). Types refer to other types by id; {@link Btf} follows
 * the ids. Names are empty for anonymous types.
 */
public sealed interface BtfType {

    int id();

    BtfKind kind();

    /** The type's name, empty if anonymous. */
    default String name() {
        return "";
    }

    /** A type that names or qualifies another without changing its layout; resolving skips it. */
    sealed interface Alias extends BtfType {
        int targetId();
    }

    /** A struct or union. */
    sealed interface Composite extends BtfType {
        int size();

        List<BtfMember> members();
    }

    /** An enum of either width. Values are sign-extended if the enum is signed. */
    sealed interface Enumeration extends BtfType {
        int size();

        boolean signed();

        List<EnumValue> values();

        /** The value of enumerator {@code name}; throws if this enum has none by that name. */
        default long value(String name) {
            for (EnumValue v : values()) {
                if (v.name().equals(name)) {
                    return v.value();
                }
            }
            throw new BtfException("enum " + Btf.displayName(name()) + " has no value '" + name + "'");
        }

        /** Value to enumerator name, in declaration order; for aliased values the first name wins. */
        default Map<Long, String> namesByValue() {
            Map<Long, String> names = new LinkedHashMap<>();
            for (EnumValue v : values()) {
                names.putIfAbsent(v.value(), v.name());
            }
            return names;
        }

        /** Enumerator name to value, in declaration order. */
        default Map<String, Long> valuesByName() {
            Map<String, Long> values = new LinkedHashMap<>();
            for (EnumValue v : values()) {
                values.put(v.name(), v.value());
            }
            return values;
        }
    }

    record EnumValue(String name, long value) {}

    /** A function parameter; the name is empty where BTF has none (e.g. function pointer types). */
    record Param(String name, int typeId) {}

    /** A variable within a data section: the VAR's id, its offset and size in the section. */
    record SectionVar(int typeId, int offset, int size) {}

    record Void() implements BtfType {
        public int id() {
            return 0;
        }

        public BtfKind kind() {
            return BtfKind.VOID;
        }

        public String name() {
            return "void";
        }
    }

    /** BTF_INT_ENCODING bits from include/uapi/linux/btf.h. */
    int INT_SIGNED = 1 << 0;
    int INT_CHAR = 1 << 1;
    int INT_BOOL = 1 << 2;

    record Int(int id, String name, int size, int encoding, int bitOffset, int bits) implements BtfType {
        public BtfKind kind() {
            return BtfKind.INT;
        }

        public boolean isSigned() {
            return (encoding & INT_SIGNED) != 0;
        }

        public boolean isChar() {
            return (encoding & INT_CHAR) != 0;
        }

        public boolean isBool() {
            return (encoding & INT_BOOL) != 0;
        }
    }

    record Ptr(int id, int targetId) implements BtfType {
        public BtfKind kind() {
            return BtfKind.PTR;
        }
    }

    record Array(int id, int elementTypeId, int indexTypeId, int length) implements BtfType {
        public BtfKind kind() {
            return BtfKind.ARRAY;
        }
    }

    record Struct(int id, String name, int size, List<BtfMember> members) implements Composite {
        public BtfKind kind() {
            return BtfKind.STRUCT;
        }
    }

    record Union(int id, String name, int size, List<BtfMember> members) implements Composite {
        public BtfKind kind() {
            return BtfKind.UNION;
        }
    }

    record Enum(int id, String name, int size, boolean signed, List<EnumValue> values) implements Enumeration {
        public BtfKind kind() {
            return BtfKind.ENUM;
        }
    }

    record Enum64(int id, String name, int size, boolean signed, List<EnumValue> values) implements Enumeration {
        public BtfKind kind() {
            return BtfKind.ENUM64;
        }
    }

    /** A forward declaration of a struct or (if {@code isUnion}) a union. */
    record Fwd(int id, String name, boolean isUnion) implements BtfType {
        public BtfKind kind() {
            return BtfKind.FWD;
        }
    }

    record Typedef(int id, String name, int targetId) implements Alias {
        public BtfKind kind() {
            return BtfKind.TYPEDEF;
        }
    }

    record Volatile(int id, int targetId) implements Alias {
        public BtfKind kind() {
            return BtfKind.VOLATILE;
        }
    }

    record Const(int id, int targetId) implements Alias {
        public BtfKind kind() {
            return BtfKind.CONST;
        }
    }

    record Restrict(int id, int targetId) implements Alias {
        public BtfKind kind() {
            return BtfKind.RESTRICT;
        }
    }

    /** A type tag such as {@code __user} or {@code __rcu} on a pointed-to type. */
    record TypeTag(int id, String name, int targetId) implements Alias {
        public BtfKind kind() {
            return BtfKind.TYPE_TAG;
        }
    }

    /** BTF_FUNC_STATIC, BTF_FUNC_GLOBAL, BTF_FUNC_EXTERN from enum btf_func_linkage. */
    int LINKAGE_STATIC = 0;
    int LINKAGE_GLOBAL = 1;
    int LINKAGE_EXTERN = 2;

    /** A function: its name and its FUNC_PROTO. */
    record Func(int id, String name, int protoId, int linkage) implements BtfType {
        public BtfKind kind() {
            return BtfKind.FUNC;
        }
    }

    /** A function's signature; a last parameter with type id 0 means "...". */
    record FuncProto(int id, int returnTypeId, List<Param> params) implements BtfType {
        public BtfKind kind() {
            return BtfKind.FUNC_PROTO;
        }

        public boolean isVariadic() {
            return !params.isEmpty() && params.getLast().typeId() == 0;
        }
    }

    record Var(int id, String name, int typeId, int linkage) implements BtfType {
        public BtfKind kind() {
            return BtfKind.VAR;
        }
    }

    record Datasec(int id, String name, int size, List<SectionVar> vars) implements BtfType {
        public BtfKind kind() {
            return BtfKind.DATASEC;
        }
    }

    record Float(int id, String name, int size) implements BtfType {
        public BtfKind kind() {
            return BtfKind.FLOAT;
        }
    }

    /**
     * A declaration tag on type {@code targetId}: on the whole type if {@code componentIndex}
     * is -1, else on that member or parameter.
     */
    record DeclTag(int id, String name, int targetId, int componentIndex) implements BtfType {
        public BtfKind kind() {
            return BtfKind.DECL_TAG;
        }
    }
}
