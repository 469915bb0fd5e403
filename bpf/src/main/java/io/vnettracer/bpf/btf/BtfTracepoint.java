package io.vnettracer.bpf.btf;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * A BTF-enabled tracepoint as a tp_btf program sees it. The kernel declares, for each tracepoint
 * X, {@code typedef void (*btf_trace_X)(void *__data, <the tracepoint's TP_PROTO>)}
 * (include/trace/bpf_probe.h); the typedef's id is the program's attach BTF id. The program's
 * context is an array of u64, one per argument in {@link #args()} order.
 *
 * <p>The typedef's prototype carries no parameter names, so names come from a function the
 * kernel defines with the same parameters: {@code __probestub_X} (include/linux/tracepoint.h,
 * one per tracepoint) or {@code __bpf_trace_X} (include/trace/bpf_probe.h, one per event class).
 * Where neither exists the arguments are called {@code arg0}, {@code arg1}, ...
 *
 * @param attachId the id of TYPEDEF {@code btf_trace_<name>}
 * @param args     the tracepoint's arguments, without the leading {@code void *__data}
 */
public record BtfTracepoint(String name, int attachId, List<BtfType.Param> args) {

    /** Prefixes of the typedef and of the functions the kernel generates per tracepoint. */
    static final String TYPEDEF_PREFIX = "btf_trace_";
    private static final List<String> NAMED_FUNCTION_PREFIXES = List.of("__probestub_", "__bpf_trace_");

    public BtfTracepoint {
        args = List.copyOf(args);
    }

    /** The position of argument {@code argName}, i.e. its slot in the u64 context array. */
    public int argIndex(String argName) {
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).name().equals(argName)) {
                return i;
            }
        }
        StringJoiner names = new StringJoiner(", ", "(", ")");
        args.forEach(a -> names.add(a.name()));
        throw new BtfException("tracepoint " + name + " has no argument '" + argName + "'; its arguments are " + names);
    }

    public BtfType.Param arg(String argName) {
        return args.get(argIndex(argName));
    }

    static BtfTracepoint of(Btf btf, String name) {
        int[] typedefs = btf.typeIds(TYPEDEF_PREFIX + name, BtfKind.TYPEDEF);
        if (typedefs.length == 0) {
            throw new BtfException("no BTF-enabled tracepoint '" + name + "': " + btf.source()
                    + " has no typedef " + TYPEDEF_PREFIX + name);
        }
        int attachId = typedefs[0];
        BtfType.FuncProto proto = pointedProto(btf, attachId);
        if (proto == null || proto.params().isEmpty()) {
            throw new BtfException("typedef " + TYPEDEF_PREFIX + name + " (id " + attachId + ") is "
                    + btf.describe(attachId) + ", not a pointer to a function taking a context");
        }
        List<BtfType.Param> named = namedParams(btf, name, proto.params().size());
        List<BtfType.Param> args = new ArrayList<>();
        for (int i = 1; i < proto.params().size(); i++) {
            String argName = named != null ? named.get(i).name() : "arg" + (i - 1);
            args.add(new BtfType.Param(argName, proto.params().get(i).typeId()));
        }
        return new BtfTracepoint(name, attachId, args);
    }

    private static BtfType.FuncProto pointedProto(Btf btf, int typedefId) {
        if (btf.resolve(typedefId) instanceof BtfType.Ptr ptr
                && btf.resolve(ptr.targetId()) instanceof BtfType.FuncProto proto) {
            return proto;
        }
        return null;
    }

    /** The parameters of a function generated for tracepoint {@code name} with {@code count} of them, all named. */
    private static List<BtfType.Param> namedParams(Btf btf, String name, int count) {
        for (String prefix : NAMED_FUNCTION_PREFIXES) {
            for (int id : btf.typeIds(prefix + name, BtfKind.FUNC)) {
                BtfType.Func func = (BtfType.Func) btf.type(id);
                if (btf.type(func.protoId()) instanceof BtfType.FuncProto proto && proto.params().size() == count
                        && proto.params().stream().noneMatch(p -> p.name().isEmpty())) {
                    return proto.params();
                }
            }
        }
        return null;
    }

    @Override
    public String toString() {
        StringJoiner joiner = new StringJoiner(", ", name + "(", ") [attach id " + attachId + "]");
        args.forEach(a -> joiner.add(a.name() + ": type " + a.typeId()));
        return joiner.toString();
    }
}
