/**
 * An eBPF assembler and disassembler: instructions as the kernel encodes them
 * (Documentation/bpf/standardization/instruction-set.rst), a builder with labels resolved at
 * assembly, and a printer that turns any program back into readable text.
 *
 * <p>Pure Java with no kernel dependency. An {@link io.vnettracer.bpf.asm.Assembler} is not safe
 * for concurrent use; the {@link io.vnettracer.bpf.asm.Instructions} it produces are immutable.
 * The assembler checks encodings only: a program it accepts may still be refused by the verifier
 * (register types, bounds, helper availability), and newer instructions (load-acquire, may_goto,
 * arena casts) need a kernel that knows them.
 */
package io.vnettracer.bpf.asm;
