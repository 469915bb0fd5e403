package io.vnettracer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vnettracer.store.StoreQuery;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A query's result as text: an aligned table (numbers right), CSV, or JSON. */
final class SqlOutput {
    private SqlOutput() {}

    static String table(StoreQuery.Result result) {
        List<String> columns = result.columns();
        int n = columns.size();
        int[] width = new int[n];
        boolean[] numeric = new boolean[n];
        for (int i = 0; i < n; i++) {
            width[i] = columns.get(i).length();
            numeric[i] = true;
        }
        for (List<Object> row : result.rows()) {
            for (int i = 0; i < n; i++) {
                width[i] = Math.max(width[i], cell(row.get(i)).length());
                numeric[i] &= row.get(i) == null || row.get(i) instanceof Number;
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, columns.stream().map(c -> (Object) c).toList(), width, numeric);
        for (int i = 0; i < n; i++) {
            out.append(i == 0 ? "" : "  ").append("-".repeat(width[i]));
        }
        out.append('\n');
        for (List<Object> row : result.rows()) {
            line(out, row, width, numeric);
        }
        out.append('(').append(result.rows().size()).append(result.rows().size() == 1 ? " row" : " rows").append(")\n");
        return out.toString();
    }

    private static void line(StringBuilder out, List<Object> cells, int[] width, boolean[] right) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < width.length; i++) {
            String t = cell(cells.get(i));
            String pad = " ".repeat(width[i] - t.length());
            l.append(i == 0 ? "" : "  ").append(right[i] ? pad + t : t + pad);
        }
        out.append(l.toString().stripTrailing()).append('\n');
    }

    /**
     * A value as the aligned table shows it: fractions to at most three decimals (a mean of
     * 12345.678901234567 ns reads 12345.679); CSV and JSON keep every digit.
     */
    private static String cell(Object v) {
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isFinite(d)) {
                return java.math.BigDecimal.valueOf(d).setScale(3, java.math.RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
            }
        }
        return text(v);
    }

    static String csv(StoreQuery.Result result) {
        StringBuilder out = new StringBuilder();
        csvLine(out, result.columns().stream().map(c -> (Object) c).toList());
        for (List<Object> row : result.rows()) {
            csvLine(out, row);
        }
        return out.toString();
    }

    private static void csvLine(StringBuilder out, List<Object> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) out.append(',');
            Object v = cells.get(i);
            if (v == null) continue;
            String t = text(v);
            if (t.indexOf(',') >= 0 || t.indexOf('"') >= 0 || t.indexOf('\n') >= 0 || t.indexOf('\r') >= 0) {
                out.append('"').append(t.replace("\"", "\"\"")).append('"');
            } else {
                out.append(t);
            }
        }
        out.append("\r\n");
    }

    static String json(StoreQuery.Result result) {
        List<Map<String, Object>> rows = result.rows().stream().map(row -> {
            Map<String, Object> o = new LinkedHashMap<>();
            for (int i = 0; i < row.size(); i++) {
                Object v = row.get(i);
                o.put(result.columns().get(i), v == null || v instanceof Number || v instanceof Boolean ? v : text(v));
            }
            return o;
        }).toList();
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(rows) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(Object v) {
        return v == null ? "NULL" : v.toString();
    }
}
