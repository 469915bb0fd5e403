package io.vnettracer.lab;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads a topology file (YAML, docs/LAB.md) into a validated {@link Topology}. */
public final class TopologyFile {
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private TopologyFile() {}

    public static Topology read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new TopologyException("no topology file " + file);
        } catch (IOException e) {
            throw new TopologyException("cannot read topology file " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    /** Parses {@code text}; {@code source} names it in errors (a file name). */
    public static Topology parse(String text, String source) {
        Topology topology;
        try {
            topology = YAML.readValue(text, Topology.class);
        } catch (UnrecognizedPropertyException e) {
            // Records are built from buffered fields, so the parser's location is past the field: name its path instead.
            throw new TopologyException(source + ": " + path(e) + ": unknown field '" + e.getPropertyName()
                    + "'; known here: " + e.getKnownPropertyIds(), e);
        } catch (MismatchedInputException e) {
            throw new TopologyException(source + ": " + path(e) + ": " + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new TopologyException(source + where(e.getLocation()) + ": " + e.getOriginalMessage(), e);
        }
        if (topology == null) {
            throw new TopologyException(source + ": empty topology file");
        }
        try {
            return topology.validate();
        } catch (TopologyException e) {
            throw new TopologyException(source + ": " + e.getMessage().replace("\n", "\n" + source + ": "));
        }
    }

    /** The field's path, e.g. vms[0].loss.probability. */
    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                path.append('[').append(r.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "(top)" : path.toString();
    }

    private static String where(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? "" : ":" + location.getLineNr() + ":" + location.getColumnNr();
    }
}
