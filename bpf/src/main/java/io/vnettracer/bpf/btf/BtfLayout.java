package io.vnettracer.bpf.btf;

/** Sizes of types and offsets of members, as a C compiler laid them out (read from BTF, never computed). */
final class BtfLayout {
    private BtfLayout() {}

    /** BTF does not record pointer width; BPF and the 64-bit kernels we trace use 8 bytes. */
    static final int POINTER_SIZE = 8;

    private static final int MAX_DEPTH = 32;

    static long sizeOf(Btf btf, int id) {
        long elements = 1;
        int current = id;
        for (int depth = 0; depth < MAX_DEPTH; depth++) {
            BtfType type = btf.type(current);
            switch (type) {
                case BtfType.Int t -> { return elements * t.size(); }
                case BtfType.Float t -> { return elements * t.size(); }
                case BtfType.Composite t -> { return elements * t.size(); }
                case BtfType.Enumeration t -> { return elements * t.size(); }
                case BtfType.Datasec t -> { return elements * t.size(); }
                case BtfType.Ptr t -> { return elements * POINTER_SIZE; }
                case BtfType.Alias t -> current = t.targetId();
                case BtfType.Var t -> current = t.typeId();
                case BtfType.Array t -> {
                    elements *= Integer.toUnsignedLong(t.length());
                    current = t.elementTypeId();
                }
                default -> throw new BtfException("type " + btf.describe(id) + " (id " + id + ", "
                        + type.kind() + ") has no size");
            }
        }
        throw new BtfException("type " + id + " does not resolve to a sized type within " + MAX_DEPTH + " steps");
    }

    static BtfMember member(Btf btf, BtfType.Composite outer, String path) {
        BtfType.Composite current = outer;
        long bitOffset = 0;
        int start = 0;
        while (true) {
            int dot = path.indexOf('.', start);
            String name = dot < 0 ? path.substring(start) : path.substring(start, dot);
            BtfMember found = name.isEmpty() ? null : find(btf, current, name, bitOffset);
            if (found == null) {
                String where = start == 0 ? "" : ": '" + path.substring(0, start - 1) + "' is "
                        + BtfDescriber.describe(btf, current.id()) + ", which has no member '" + name + "'";
                throw new BtfException(BtfDescriber.describe(btf, outer.id()) + " has no member '" + path + "'" + where);
            }
            if (dot < 0) {
                return new BtfMember(path, found.typeId(), found.bitOffset(), found.bitfieldSize());
            }
            if (!(btf.resolve(found.typeId()) instanceof BtfType.Composite inner)) {
                throw new BtfException(BtfDescriber.describe(btf, outer.id()) + " has no member '" + path + "': '"
                        + path.substring(0, dot) + "' is " + btf.describe(found.typeId()) + ", not a struct or union");
            }
            current = inner;
            bitOffset = found.bitOffset();
            start = dot + 1;
        }
    }

    /** Member {@code name} of {@code composite} or of its anonymous struct/union members, depth first. */
    private static BtfMember find(Btf btf, BtfType.Composite composite, String name, long baseBitOffset) {
        for (BtfMember m : composite.members()) {
            if (m.name().equals(name)) {
                return placed(btf, m, baseBitOffset);
            }
            if (m.isAnonymous() && btf.resolve(m.typeId()) instanceof BtfType.Composite inner) {
                BtfMember found = find(btf, inner, name, baseBitOffset + m.bitOffset());
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /**
     * The member at its offset in the outer type. Without kind_flag a bitfield is an INT member
     * whose own encoding gives the width and extra bit offset (Documentation/bpf/btf.rst, 2.2.1).
     */
    private static BtfMember placed(Btf btf, BtfMember m, long baseBitOffset) {
        long bitOffset = baseBitOffset + m.bitOffset();
        int bitfieldSize = m.bitfieldSize();
        if (bitfieldSize == 0 && btf.resolve(m.typeId()) instanceof BtfType.Int i
                && (i.bitOffset() != 0 || i.bits() != i.size() * 8)) {
            bitOffset += i.bitOffset();
            bitfieldSize = i.bits();
        }
        return new BtfMember(m.name(), m.typeId(), bitOffset, bitfieldSize);
    }
}
