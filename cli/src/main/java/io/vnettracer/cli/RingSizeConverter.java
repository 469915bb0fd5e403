package io.vnettracer.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A ring buffer size: bytes, or with K, M or G (powers of 1024). The kernel wants a power of two
 * and a multiple of the page size (BPF_MAP_TYPE_RINGBUF, kernel/bpf/ringbuf.c).
 */
final class RingSizeConverter implements ITypeConverter<Integer> {
    private static final Pattern FORM = Pattern.compile("(\\d{1,10})([KMG]?)i?B?", Pattern.CASE_INSENSITIVE);
    private static final long PAGE = 4096;
    /** The kernel caps a ring's data at 2^32 - 1 pages' worth; an int of bytes is our own, smaller, cap. */
    private static final long MAX = 1L << 30;

    @Override
    public Integer convert(String value) {
        Matcher m = FORM.matcher(value.strip());
        if (!m.matches()) {
            throw new TypeConversionException("'" + value + "' is not a size like 16M, 256K or 1G");
        }
        long bytes = Long.parseLong(m.group(1)) << switch (m.group(2).toUpperCase(java.util.Locale.ROOT)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            default -> 0;
        };
        if (bytes < PAGE || bytes > MAX || Long.bitCount(bytes) != 1) {
            throw new TypeConversionException("ring size " + value + " must be a power of two from 4K to 1G, e.g. 16M");
        }
        return (int) bytes;
    }
}
