package io.vnettracer.bench;

import java.util.List;
import java.util.Map;

/** Writes the small JSON result files by hand: the bpf module and its benchmarks take no dependencies. */
public final class JsonOut {
    private JsonOut() {}

    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(value, sb, "");
        return sb.append('\n').toString();
    }

    private static void write(Object value, StringBuilder sb, String indent) {
        if (value instanceof Map<?, ?> map) {
            sb.append("{\n");
            int i = 0;
            for (var e : map.entrySet()) {
                sb.append(indent).append("  \"").append(escape(e.getKey().toString())).append("\": ");
                write(e.getValue(), sb, indent + "  ");
                sb.append(++i < map.size() ? ",\n" : "\n");
            }
            sb.append(indent).append('}');
        } else if (value instanceof List<?> list) {
            sb.append("[\n");
            for (int i = 0; i < list.size(); i++) {
                sb.append(indent).append("  ");
                write(list.get(i), sb, indent + "  ");
                sb.append(i + 1 < list.size() ? ",\n" : "\n");
            }
            sb.append(indent).append(']');
        } else if (value instanceof Number n) {
            double d = n.doubleValue();
            sb.append(d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.format("%.3f", d));
        } else if (value == null) {
            sb.append("null");
        } else {
            sb.append('"').append(escape(value.toString())).append('"');
        }
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
