package io.vnettracer.bpf.btf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Parsed BTF: the kernel's own ({@link #kernel()}), a module's (split BTF whose ids continue
 * after its base's), or any raw blob. Parsing only indexes the types; each is decoded when asked
 * for and then kept. Safe for concurrent use.
 */
public final class Btf {
    /** Where the running kernel exposes its BTF (Documentation/ABI/testing/sysfs-kernel-btf). */
    public static final Path KERNEL_BTF_DIR = Path.of("/sys/kernel/btf");
    private static final Path VMLINUX = KERNEL_BTF_DIR.resolve("vmlinux");

    /** How many typedefs and qualifiers a resolve may pass before giving up (libbpf uses 32 too). */
    private static final int MAX_RESOLVE_DEPTH = 32;

    private static final BtfType VOID = new BtfType.Void();

    private final Btf base;
    private final BtfTypeSection types;
    private final BtfNameIndex index;
    private final String source;
    private final AtomicReferenceArray<BtfType> decoded;

    Btf(Btf base, BtfTypeSection types, BtfNameIndex index, String source) {
        this.base = base;
        this.types = types;
        this.index = index;
        this.source = source;
        this.decoded = new AtomicReferenceArray<>(types.count());
    }

    private static final class KernelHolder {
        static final Btf KERNEL = load(VMLINUX);
    }

    /** The running kernel's BTF, parsed once per process. */
    public static Btf kernel() {
        return KernelHolder.KERNEL;
    }

    /** A kernel module's split BTF, e.g. {@code kernelModule("veth")}, over {@link #kernel()}. */
    public static Btf kernelModule(String module) {
        return load(KERNEL_BTF_DIR.resolve(module), kernel());
    }

    public static Btf load(Path path) {
        return load(path, null);
    }

    /** Reads raw BTF from {@code path}; {@code base} is the BTF it extends if it is split BTF, else null. */
    public static Btf load(Path path, Btf base) {
        byte[] blob;
        try {
            blob = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new BtfException("cannot read BTF from " + path + ": " + e.getMessage(), e);
        }
        return BtfReader.read(blob, base, path.toString());
    }

    public static Btf parse(byte[] blob) {
        return parse(blob, null);
    }

    /** Parses a raw BTF blob; {@code base} is the BTF it extends if it is split BTF, else null. */
    public static Btf parse(byte[] blob, Btf base) {
        return BtfReader.read(blob, base, "BTF blob");
    }

    /** Where this BTF came from (a path), for messages. */
    public String source() {
        return source;
    }

    /** The BTF this split BTF extends, or null. */
    public Btf base() {
        return base;
    }

    /** The lowest type id this blob defines: 1, or the id after the base's last for split BTF. */
    public int firstTypeId() {
        return types.firstId();
    }

    /** One past the highest valid type id. */
    public int nextTypeId() {
        return types.firstId() + types.count();
    }

    BtfStrings strings() {
        return types.strings();
    }

    /** The type with id {@code id}; 0 is {@code void}. */
    public BtfType type(int id) {
        if (id == 0) {
            return VOID;
        }
        if (base != null && id < types.firstId()) {
            return base.type(id);
        }
        if (!types.contains(id)) {
            throw new BtfException(source + ": no BTF type with id " + id + " (ids end at " + (nextTypeId() - 1) + ")");
        }
        int slot = id - types.firstId();
        BtfType type = decoded.get(slot);
        if (type == null) {
            type = types.decode(id);
            decoded.set(slot, type);
        }
        return type;
    }

    /** The kind of type {@code id}, without decoding it. */
    public BtfKind kind(int id) {
        if (id == 0) {
            return BtfKind.VOID;
        }
        if (base != null && id < types.firstId()) {
            return base.kind(id);
        }
        return BtfKind.ofNumber(types.kindNumber(id));
    }

    /** The ids of all types named {@code name} of kind {@code kind} (any kind if null), ascending. */
    public int[] typeIds(String name, BtfKind kind) {
        int[] own = index.ids(name, kind);
        if (base == null) {
            return own;
        }
        int[] inBase = base.typeIds(name, kind);
        int[] all = Arrays.copyOf(inBase, inBase.length + own.length);
        System.arraycopy(own, 0, all, inBase.length, own.length);
        return all;
    }

    /** All types named {@code name}, of any kind, by ascending id. */
    public List<BtfType> typesByName(String name) {
        return typesByName(name, null);
    }

    /** All types named {@code name} of kind {@code kind} (any kind if null), by ascending id. */
    public List<BtfType> typesByName(String name, BtfKind kind) {
        List<BtfType> found = new ArrayList<>();
        for (int id : typeIds(name, kind)) {
            found.add(type(id));
        }
        return found;
    }

    /** The first (lowest id) type named {@code name} of kind {@code kind}, if any. */
    public Optional<BtfType> findType(String name, BtfKind kind) {
        int[] ids = typeIds(name, kind);
        return ids.length == 0 ? Optional.empty() : Optional.of(type(ids[0]));
    }

    /** The id of the first type named {@code name} of kind {@code kind}; throws if there is none. */
    public int typeId(String name, BtfKind kind) {
        int[] ids = typeIds(name, kind);
        if (ids.length == 0) {
            throw new BtfException(source + " has no " + kind.name() + " named '" + name + "'");
        }
        return ids[0];
    }

    public BtfType type(String name, BtfKind kind) {
        return type(typeId(name, kind));
    }

    public BtfType.Struct struct(String name) {
        return (BtfType.Struct) type(name, BtfKind.STRUCT);
    }

    public BtfType.Union union(String name) {
        return (BtfType.Union) type(name, BtfKind.UNION);
    }

    /** The struct named {@code name}, or failing that the union. */
    public BtfType.Composite composite(String name) {
        int[] ids = typeIds(name, BtfKind.STRUCT);
        if (ids.length == 0) {
            ids = typeIds(name, BtfKind.UNION);
        }
        if (ids.length == 0) {
            throw new BtfException(source + " has no struct or union named '" + name + "'");
        }
        return (BtfType.Composite) type(ids[0]);
    }

    /** The enum (32- or 64-bit) named {@code name}. */
    public BtfType.Enumeration enumeration(String name) {
        int[] ids = typeIds(name, BtfKind.ENUM);
        if (ids.length == 0) {
            ids = typeIds(name, BtfKind.ENUM64);
        }
        if (ids.length == 0) {
            throw new BtfException(source + " has no enum named '" + name + "'");
        }
        return (BtfType.Enumeration) type(ids[0]);
    }

    /** The id of FUNC {@code name}: the attach BTF id of an fentry/fexit program on that function. */
    public int funcId(String name) {
        return typeId(name, BtfKind.FUNC);
    }

    /** The type under any typedefs, qualifiers and type tags of type {@code id}. */
    public BtfType resolve(int id) {
        return type(resolveId(id));
    }

    public int resolveId(int id) {
        int current = id;
        for (int depth = 0; depth < MAX_RESOLVE_DEPTH; depth++) {
            if (!(type(current) instanceof BtfType.Alias alias)) {
                return current;
            }
            current = alias.targetId();
        }
        throw new BtfException(source + ": type " + id + " does not resolve within " + MAX_RESOLVE_DEPTH + " steps");
    }

    /** The size in bytes of type {@code id}; throws for types without one (void, functions, forwards). */
    public long sizeOf(int id) {
        return BtfLayout.sizeOf(this, id);
    }

    /**
     * The member at {@code path} ("a.b.c") of the struct or union named {@code typeName}, found
     * also inside anonymous struct and union members; the offset is from the start of {@code typeName}.
     */
    public BtfMember member(String typeName, String path) {
        return BtfLayout.member(this, composite(typeName), path);
    }

    /** The member at {@code path} of struct or union {@code composite}; see {@link #member(String, String)}. */
    public BtfMember member(BtfType.Composite composite, String path) {
        return BtfLayout.member(this, composite, path);
    }

    /** The BTF-enabled tracepoint {@code name} (e.g. {@code kfree_skb}): attach id and arguments. */
    public BtfTracepoint tracepoint(String name) {
        return BtfTracepoint.of(this, name);
    }

    /** A C-like description of type {@code id} for messages, e.g. {@code struct sk_buff *}. */
    public String describe(int id) {
        return BtfDescriber.describe(this, id);
    }

    static String displayName(String name) {
        return name.isEmpty() ? "(anonymous)" : name;
    }

    @Override
    public String toString() {
        return "Btf[" + source + ", ids " + firstTypeId() + ".." + (nextTypeId() - 1) + "]";
    }
}
