package io.vnettracer.bpf.btf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vnettracer.bpf.asm.Helper;
import io.vnettracer.bpf.sys.BpfCommand;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The project's hand-typed kernel constants, checked against the running kernel's own enums. */
class BtfKernelConstantsTest {

    @BeforeAll
    static void kernelHasBtf() {
        assumeTrue(Files.isReadable(Btf.KERNEL_BTF_DIR.resolve("vmlinux")), "this kernel exposes no BTF");
    }

    @Test
    void bpfCommandsMatchEnumBpfCmd() {
        Map<String, Long> kernel = Btf.kernel().enumeration("bpf_cmd").valuesByName();
        List<String> wrong = new ArrayList<>();
        for (BpfCommand command : BpfCommand.values()) {
            Long value = kernel.get(command.name());
            if (value == null || value != command.number()) {
                wrong.add(command + " = " + command.number() + ", kernel says " + value);
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void helperIdsMatchEnumBpfFuncId() {
        // The kernel spells them BPF_FUNC_map_lookup_elem (__BPF_ENUM_FN in include/uapi/linux/bpf.h).
        Map<String, Long> kernel = Btf.kernel().enumeration("bpf_func_id").valuesByName();
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<Integer, String> helper : Helper.all().entrySet()) {
            String name = "BPF_FUNC_" + helper.getValue().substring("bpf_".length());
            Long value = kernel.get(name);
            if (value == null || value.intValue() != helper.getKey()) {
                wrong.add(name + " = " + helper.getKey() + ", kernel says " + value);
            }
        }
        assertEquals(List.of(), wrong);
        assertEquals(Helper.all().size(), Helper.class.getFields().length, "every Helper constant has its own id");
    }

    @Test
    void mapProgramAndAttachTypesMatchTheKernelsEnums() {
        Btf btf = Btf.kernel();
        List<String> wrong = new ArrayList<>();
        check(btf.enumeration("bpf_map_type").valuesByName(), wrong,
                java.util.Arrays.stream(io.vnettracer.bpf.map.MapType.values())
                        .collect(java.util.stream.Collectors.toMap(t -> t.kernelName(), t -> t.number())));
        check(btf.enumeration("bpf_prog_type").valuesByName(), wrong,
                java.util.Arrays.stream(io.vnettracer.bpf.prog.ProgramType.values())
                        .collect(java.util.stream.Collectors.toMap(t -> t.kernelName(), t -> t.number())));
        check(btf.enumeration("bpf_attach_type").valuesByName(), wrong,
                java.util.Arrays.stream(io.vnettracer.bpf.prog.AttachType.values())
                        .collect(java.util.stream.Collectors.toMap(t -> t.kernelName(), t -> t.number())));
        assertEquals(List.of(), wrong);
    }

    private static void check(Map<String, Long> kernel, List<String> wrong, Map<String, Integer> ours) {
        ours.forEach((name, number) -> {
            Long value = kernel.get(name);
            if (value == null || value.intValue() != number) {
                wrong.add(name + " = " + number + ", kernel says " + value);
            }
        });
    }
}
