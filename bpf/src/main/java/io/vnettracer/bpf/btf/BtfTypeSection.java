package io.vnettracer.bpf.btf;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The type records of one BTF blob, decoded on demand from the raw bytes. Layouts from
 * include/uapi/linux/btf.h: each type is a {@code struct btf_type} (name_off, info, size/type)
 * followed by kind-specific data.
 */
final class BtfTypeSection {
    /** sizeof(struct btf_type). */
    static final int TYPE_SIZE = 12;
    private static final int NAME_OFF = 0;
    private static final int INFO = 4;
    private static final int SIZE_OR_TYPE = 8;

    private final ByteBuffer buf;
    private final int[] offsets;
    private final int firstId;
    private final BtfStrings strings;
    private final String source;

    BtfTypeSection(ByteBuffer buf, int[] offsets, int firstId, BtfStrings strings, String source) {
        this.buf = buf;
        this.offsets = offsets;
        this.firstId = firstId;
        this.strings = strings;
        this.source = source;
    }

    /** BTF_INFO_KIND, BTF_INFO_VLEN, BTF_INFO_KFLAG. */
    static int infoKind(int info) {
        return (info >>> 24) & 0x1f;
    }

    static int infoVlen(int info) {
        return info & 0xffff;
    }

    static boolean infoKindFlag(int info) {
        return info < 0;
    }

    int firstId() {
        return firstId;
    }

    int count() {
        return offsets.length;
    }

    BtfStrings strings() {
        return strings;
    }

    boolean contains(int id) {
        return id >= firstId && id - firstId < offsets.length;
    }

    int nameOffset(int id) {
        return buf.getInt(offset(id) + NAME_OFF);
    }

    int kindNumber(int id) {
        return infoKind(buf.getInt(offset(id) + INFO));
    }

    private int offset(int id) {
        if (!contains(id)) {
            throw new BtfException(source + ": no BTF type with id " + id);
        }
        return offsets[id - firstId];
    }

    BtfType decode(int id) {
        int pos = offset(id);
        String name = strings.get(buf.getInt(pos + NAME_OFF));
        int info = buf.getInt(pos + INFO);
        int vlen = infoVlen(info);
        boolean kindFlag = infoKindFlag(info);
        int sizeOrType = buf.getInt(pos + SIZE_OR_TYPE);
        int data = pos + TYPE_SIZE;
        return switch (BtfKind.ofNumber(infoKind(info))) {
            case INT -> {
                int word = buf.getInt(data);
                // BTF_INT_ENCODING, BTF_INT_OFFSET, BTF_INT_BITS
                yield new BtfType.Int(id, name, sizeOrType, (word >>> 24) & 0x0f, (word >>> 16) & 0xff, word & 0xff);
            }
            case PTR -> new BtfType.Ptr(id, sizeOrType);
            case ARRAY -> new BtfType.Array(id, buf.getInt(data), buf.getInt(data + 4), buf.getInt(data + 8));
            case STRUCT -> new BtfType.Struct(id, name, sizeOrType, members(data, vlen, kindFlag));
            case UNION -> new BtfType.Union(id, name, sizeOrType, members(data, vlen, kindFlag));
            case ENUM -> new BtfType.Enum(id, name, sizeOrType, kindFlag, enumValues(data, vlen, kindFlag));
            case FWD -> new BtfType.Fwd(id, name, kindFlag);
            case TYPEDEF -> new BtfType.Typedef(id, name, sizeOrType);
            case VOLATILE -> new BtfType.Volatile(id, sizeOrType);
            case CONST -> new BtfType.Const(id, sizeOrType);
            case RESTRICT -> new BtfType.Restrict(id, sizeOrType);
            case FUNC -> new BtfType.Func(id, name, sizeOrType, vlen);
            case FUNC_PROTO -> new BtfType.FuncProto(id, sizeOrType, params(data, vlen));
            case VAR -> new BtfType.Var(id, name, sizeOrType, buf.getInt(data));
            case DATASEC -> new BtfType.Datasec(id, name, sizeOrType, sectionVars(data, vlen));
            case FLOAT -> new BtfType.Float(id, name, sizeOrType);
            case DECL_TAG -> new BtfType.DeclTag(id, name, sizeOrType, buf.getInt(data));
            case TYPE_TAG -> new BtfType.TypeTag(id, name, sizeOrType);
            case ENUM64 -> new BtfType.Enum64(id, name, sizeOrType, kindFlag, enum64Values(data, vlen));
            case VOID -> throw new BtfException(source + ": BTF type " + id + " has kind UNKN");
        };
    }

    /** struct btf_member {name_off, type, offset}; with kind_flag, offset = bitfield_size << 24 | bit_offset. */
    private List<BtfMember> members(int data, int vlen, boolean kindFlag) {
        List<BtfMember> members = new ArrayList<>(vlen);
        for (int i = 0, p = data; i < vlen; i++, p += 12) {
            int offset = buf.getInt(p + 8);
            long bitOffset = kindFlag ? offset & 0xffffff : Integer.toUnsignedLong(offset);
            int bitfieldSize = kindFlag ? offset >>> 24 : 0;
            members.add(new BtfMember(strings.get(buf.getInt(p)), buf.getInt(p + 4), bitOffset, bitfieldSize));
        }
        return List.copyOf(members);
    }

    /** struct btf_enum {name_off, s32 val}; kind_flag marks a signed enum. */
    private List<BtfType.EnumValue> enumValues(int data, int vlen, boolean signed) {
        List<BtfType.EnumValue> values = new ArrayList<>(vlen);
        for (int i = 0, p = data; i < vlen; i++, p += 8) {
            int value = buf.getInt(p + 4);
            values.add(new BtfType.EnumValue(strings.get(buf.getInt(p)),
                    signed ? value : Integer.toUnsignedLong(value)));
        }
        return List.copyOf(values);
    }

    /** struct btf_enum64 {name_off, val_lo32, val_hi32}. */
    private List<BtfType.EnumValue> enum64Values(int data, int vlen) {
        List<BtfType.EnumValue> values = new ArrayList<>(vlen);
        for (int i = 0, p = data; i < vlen; i++, p += 12) {
            long value = Integer.toUnsignedLong(buf.getInt(p + 4)) | (long) buf.getInt(p + 8) << 32;
            values.add(new BtfType.EnumValue(strings.get(buf.getInt(p)), value));
        }
        return List.copyOf(values);
    }

    /** struct btf_param {name_off, type}. */
    private List<BtfType.Param> params(int data, int vlen) {
        List<BtfType.Param> params = new ArrayList<>(vlen);
        for (int i = 0, p = data; i < vlen; i++, p += 8) {
            params.add(new BtfType.Param(strings.get(buf.getInt(p)), buf.getInt(p + 4)));
        }
        return List.copyOf(params);
    }

    /** struct btf_var_secinfo {type, offset, size}. */
    private List<BtfType.SectionVar> sectionVars(int data, int vlen) {
        List<BtfType.SectionVar> vars = new ArrayList<>(vlen);
        for (int i = 0, p = data; i < vlen; i++, p += 12) {
            vars.add(new BtfType.SectionVar(buf.getInt(p), buf.getInt(p + 4), buf.getInt(p + 8)));
        }
        return List.copyOf(vars);
    }
}
