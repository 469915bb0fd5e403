package io.vnettracer.bpf.prog;

import io.vnettracer.bpf.sys.BpfException;

/**
 * The kernel refused a program. The message holds the verifier's log and the program's listing, the
 * two things anyone debugging a verifier error needs side by side.
 */
public final class ProgramLoadException extends BpfException {
    private static final long serialVersionUID = 1L;

    private final String listing;

    ProgramLoadException(String programName, int errno, String verifierLog, String listing) {
        super("BPF_PROG_LOAD", errno, "loading program '" + programName + "'",
                verifierLog, "program listing:\n" + listing);
        this.listing = listing;
    }

    /** The disassembled program that was refused. */
    public String listing() {
        return listing;
    }
}
