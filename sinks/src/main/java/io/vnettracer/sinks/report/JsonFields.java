package io.vnettracer.sinks.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One node of a JSON document read for the report, with where it sits ({@code file: a.b[2].c}),
 * so that every complaint about it can say exactly which key is wrong.
 */
record JsonFields(String file, String path, JsonNode node) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Reads a whole file; its root must be an object. */
    static JsonFields read(Path file, String missingHint) {
        String name = file.getFileName().toString();
        JsonNode root;
        try {
            root = MAPPER.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new ReportInputException("no " + name + " in " + parentOf(file) + ": " + missingHint, e);
        } catch (JsonProcessingException e) {
            // Jackson's message may quote a nested location ("for Array starting at [Source: ...]"):
            // the line and column given after it are the ones that matter.
            String message = e.getOriginalMessage().replaceAll("\\s*\\(for [^\\[]*\\[Source:[^\\]]*\\]\\)", "");
            throw new ReportInputException(name + " is not valid JSON: " + message + location(e), e);
        } catch (IOException e) {
            throw new ReportInputException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ReportInputException(name + ": expected a JSON object at the top, found "
                    + (root == null ? "nothing" : kind(root)));
        }
        return new JsonFields(name, "", root);
    }

    private static String parentOf(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? "/" : parent.toString();
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }

    /** Where this node is, for messages: {@code demo.json: studies[0].title}. */
    String where() {
        return path.isEmpty() ? file : file + ": " + path;
    }

    private String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    ReportInputException problem(String what) {
        return new ReportInputException(where() + ": " + what);
    }

    private JsonNode required(String key, String expected) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            throw new ReportInputException(file + ": " + child(key) + ": missing (" + expected + ")");
        }
        return value;
    }

    boolean has(String key) {
        JsonNode value = node.get(key);
        return value != null && !value.isNull();
    }

    JsonFields object(String key) {
        JsonNode value = required(key, "an object");
        if (!value.isObject()) {
            throw wrongType(key, "an object", value);
        }
        return new JsonFields(file, child(key), value);
    }

    List<JsonFields> array(String key) {
        JsonNode value = required(key, "an array");
        if (!value.isArray()) {
            throw wrongType(key, "an array", value);
        }
        List<JsonFields> items = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            String itemPath = child(key) + "[" + i + "]";
            if (!item.isObject()) {
                throw new ReportInputException(file + ": " + itemPath + ": expected an object, found " + kind(item));
            }
            items.add(new JsonFields(file, itemPath, item));
        }
        return items;
    }

    String text(String key) {
        JsonNode value = required(key, "a string");
        if (!value.isTextual()) {
            throw wrongType(key, "a string", value);
        }
        return value.asText();
    }

    String text(String key, String otherwise) {
        return has(key) ? text(key) : otherwise;
    }

    /** A number; integers and fractions are both accepted. */
    double number(String key) {
        JsonNode value = required(key, "a number");
        if (!value.isNumber()) {
            throw wrongType(key, "a number", value);
        }
        double d = value.asDouble();
        if (!Double.isFinite(d)) {
            throw new ReportInputException(file + ": " + child(key) + ": " + value + " is not a finite number");
        }
        return d;
    }

    /** A number, or NaN when the key is absent. */
    double numberOrNaN(String key) {
        return has(key) ? number(key) : Double.NaN;
    }

    long integer(String key) {
        JsonNode value = required(key, "an integer");
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw wrongType(key, "an integer", value);
        }
        return value.asLong();
    }

    private ReportInputException wrongType(String key, String expected, JsonNode found) {
        return new ReportInputException(file + ": " + child(key) + ": expected " + expected + ", found " + kind(found));
    }

    private static String kind(JsonNode node) {
        String shown = node.toString();
        if (shown.length() > 40) {
            shown = shown.substring(0, 37) + "...";
        }
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "the string " + shown;
            case NUMBER -> "the number " + shown;
            case BOOLEAN -> "the boolean " + shown;
            default -> shown;
        };
    }
}
