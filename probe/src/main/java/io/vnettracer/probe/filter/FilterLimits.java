package io.vnettracer.probe.filter;

/**
 * How big a filter may be. Each limit is far above what a person writes (docs/FILTERS.md, "Limits")
 * and far below what would overflow a thread's stack in the passes or the kernel's limits on a
 * program: an expression within all four compiles, loads and runs. Each is checked before the work
 * it protects, and a refusal names the limit.
 */
public final class FilterLimits {
    /** Characters of the expression, checked before it is split into tokens. */
    public static final int MAX_LENGTH = 65_536;
    /**
     * Primitives ({@code host}, {@code port}, {@code tcp}, ...; {@code tcp port 80} is two). Bounds
     * the depth of the tree that {@code and} and {@code or} chains build, which every later pass walks.
     */
    public static final int MAX_PRIMITIVES = 1_000;
    /** Levels of {@code (} and {@code not} inside each other: the parser recurses on these. */
    public static final int MAX_NESTING = 100;
    /**
     * eBPF instructions of the compiled filter. A probe's program jumps across its filter with
     * 16-bit offsets (at most 32767 instructions) and has its own code around it.
     */
    public static final int MAX_INSTRUCTIONS = 16_384;

    private FilterLimits() {}
}
