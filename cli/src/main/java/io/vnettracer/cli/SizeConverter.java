package io.vnettracer.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A size in bytes: a number, or with K, M or G (powers of 1024), e.g. 256M. */
final class SizeConverter implements ITypeConverter<Long> {
    private static final Pattern FORM = Pattern.compile("(\\d{1,12})([KMG]?)i?B?", Pattern.CASE_INSENSITIVE);

    @Override
    public Long convert(String value) {
        Matcher m = FORM.matcher(value.strip());
        if (!m.matches()) {
            throw new TypeConversionException("'" + value + "' is not a size like 256M, 64K or 1G");
        }
        long bytes = Long.parseLong(m.group(1)) << switch (m.group(2).toUpperCase(java.util.Locale.ROOT)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            default -> 0;
        };
        if (bytes < 1 << 16) {
            throw new TypeConversionException("size " + value + " is too small; give at least 64K");
        }
        return bytes;
    }
}
