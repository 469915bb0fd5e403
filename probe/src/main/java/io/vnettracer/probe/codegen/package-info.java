/**
 * Generators of probe programs: the stack frame every probe program shares ({@link
 * io.vnettracer.probe.codegen.Frame}), reading a packet key through an sk_buff pointer at
 * tracepoints ({@link io.vnettracer.probe.codegen.SkbReader}), and writing the event into the
 * ring buffer ({@link io.vnettracer.probe.codegen.EventEmitter}). Each emits into an
 * {@link io.vnettracer.bpf.asm.Assembler}; none is safe for concurrent use on one assembler.
 */
package io.vnettracer.probe.codegen;
