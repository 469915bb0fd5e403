package io.vnettracer.bpf.asm;

import java.util.HexFormat;

/** Byte strings written the way a hex dump shows them: "b7 00 00 00 01 00 00 00". */
final class Hex {
    private Hex() {}

    private static final HexFormat SPACED = HexFormat.ofDelimiter(" ");

    /** The bytes as lower-case pairs separated by one space. */
    static String of(byte[] bytes) {
        return SPACED.formatHex(bytes);
    }

    /** One slot's bytes in memory order. */
    static String of(Instruction slot) {
        return of(Instructions.of(java.util.List.of(slot)).toBytes());
    }

    /** A hand-written dump with any spacing (two spaces between slots read well), normalised. */
    static String normalise(String dump) {
        return String.join(" ", dump.strip().split("\\s+"));
    }

    static byte[] parse(String dump) {
        return HexFormat.of().parseHex(dump.replaceAll("\\s+", ""));
    }
}
