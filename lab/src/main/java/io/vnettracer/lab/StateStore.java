package io.vnettracer.lab;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The labs' state files, {@code DIR/lab-<name>.json} (DIR is /run/vnettracer unless told
 * otherwise, root's alone). Writes replace the file atomically, so a crash leaves the previous
 * or the next version, never half of one.
 */
public final class StateStore {
    public static final Path DEFAULT_DIR = Path.of("/run/vnettracer");
    private static final Pattern FILE_NAME = Pattern.compile("lab-([a-z][a-z0-9]*)\\.json");
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path dir;

    public StateStore(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public Path fileOf(String lab) {
        return dir.resolve("lab-" + lab + ".json");
    }

    public Optional<LabState> read(String lab) {
        Path file = fileOf(lab);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), LabState.class));
        } catch (IOException e) {
            throw new LabException("cannot read the lab state file " + file + ": " + e.getMessage()
                    + "; remove it and run 'vnettracer lab down --name " + lab + "' to clean up by name", e);
        }
    }

    void write(LabState state) {
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path file = fileOf(state.name());
            Path temporary = dir.resolve("." + file.getFileName() + ".tmp");
            JSON.writeValue(temporary.toFile(), state);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new LabException("cannot write the lab state file in " + dir + ": " + e.getMessage(), e);
        }
    }

    void delete(String lab) {
        try {
            Files.deleteIfExists(fileOf(lab));
        } catch (IOException e) {
            throw new LabException("cannot remove the lab state file " + fileOf(lab) + ": " + e.getMessage(), e);
        }
    }

    /** The names of the labs with a state file, sorted. */
    public List<String> labs() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> FILE_NAME.matcher(p.getFileName().toString()))
                    .filter(Matcher::matches)
                    .map(m -> m.group(1))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new LabException("cannot list lab state files in " + dir + ": " + e.getMessage(), e);
        }
    }
}
