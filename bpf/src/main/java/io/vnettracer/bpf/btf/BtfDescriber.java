package io.vnettracer.bpf.btf;

import java.util.StringJoiner;

/** C-like spellings of BTF types for messages and listings, e.g. {@code struct sk_buff *}. */
final class BtfDescriber {
    private BtfDescriber() {}

    private static final int MAX_DEPTH = 16;

    static String describe(Btf btf, int id) {
        return describe(btf, id, 0);
    }

    private static String describe(Btf btf, int id, int depth) {
        if (depth > MAX_DEPTH) {
            return "...";
        }
        BtfType type = btf.type(id);
        int d = depth + 1;
        return switch (type) {
            case BtfType.Void v -> "void";
            case BtfType.Int t -> t.name();
            case BtfType.Float t -> t.name();
            case BtfType.Typedef t -> t.name();
            case BtfType.Struct t -> "struct " + Btf.displayName(t.name());
            case BtfType.Union t -> "union " + Btf.displayName(t.name());
            case BtfType.Enum t -> "enum " + Btf.displayName(t.name());
            case BtfType.Enum64 t -> "enum " + Btf.displayName(t.name());
            case BtfType.Fwd t -> (t.isUnion() ? "union " : "struct ") + t.name();
            case BtfType.Ptr t -> describe(btf, t.targetId(), d) + " *";
            case BtfType.Const t -> "const " + describe(btf, t.targetId(), d);
            case BtfType.Volatile t -> "volatile " + describe(btf, t.targetId(), d);
            case BtfType.Restrict t -> describe(btf, t.targetId(), d) + " restrict";
            case BtfType.TypeTag t -> describe(btf, t.targetId(), d) + " " + t.name();
            case BtfType.Array t -> describe(btf, t.elementTypeId(), d) + "[" + Integer.toUnsignedString(t.length()) + "]";
            case BtfType.FuncProto t -> {
                StringJoiner params = new StringJoiner(", ", "(", ")");
                for (BtfType.Param p : t.params()) {
                    params.add(p.typeId() == 0 ? "..." : describe(btf, p.typeId(), d));
                }
                yield describe(btf, t.returnTypeId(), d) + " " + params;
            }
            case BtfType.Func t -> "function " + t.name();
            case BtfType.Var t -> "variable " + t.name();
            case BtfType.Datasec t -> "section " + t.name();
            case BtfType.DeclTag t -> "decl_tag " + t.name();
        };
    }
}
