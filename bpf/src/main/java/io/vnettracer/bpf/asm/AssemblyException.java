package io.vnettracer.bpf.asm;

/** A program that cannot be assembled: an unresolved or duplicate label, an offset out of range. */
public class AssemblyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AssemblyException(String message) {
        super(message);
    }
}
