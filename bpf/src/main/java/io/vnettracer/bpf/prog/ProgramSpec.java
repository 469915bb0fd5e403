package io.vnettracer.bpf.prog;

import io.vnettracer.bpf.asm.Instructions;
import java.util.Objects;

/**
 * What to load: the type, the instructions and, for types that need them, the attach type and the
 * BTF id of the attach point (tp_btf, fentry).
 *
 * @param name shown by the kernel (bpftool, link info); up to 15 of [A-Za-z0-9_.], longer names are cut
 * @param expectedAttachType null when the type needs none
 * @param attachBtfId BTF id in vmlinux of the attach target, or 0
 */
public record ProgramSpec(String name, ProgramType type, Instructions instructions, String license,
                          AttachType expectedAttachType, int attachBtfId) {
    public ProgramSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(instructions, "instructions");
        Objects.requireNonNull(license, "license");
    }

    /** A GPL-licensed program (many helpers, such as the ring buffer's, need it). */
    public static ProgramSpec of(String name, ProgramType type, Instructions instructions) {
        return new ProgramSpec(name, type, instructions, "GPL", null, 0);
    }

    public ProgramSpec withAttach(AttachType attachType, int btfId) {
        return new ProgramSpec(name, type, instructions, license, attachType, btfId);
    }

    public ProgramSpec withAttach(AttachType attachType) {
        return withAttach(attachType, attachBtfId);
    }
}
