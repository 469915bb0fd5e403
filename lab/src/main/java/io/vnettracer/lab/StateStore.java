package io.vnettracer.lab;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.vnettracer.bpf.sys.LibC;
import java.nio.file.LinkOption;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The labs' state files, {@code DIR/lab-<name>.json} (DIR is /run/vnettracer unless told
 * otherwise, root's alone). Writes replace the file atomically, so a crash leaves the previous
 * or the next version, never half of one.
 *
 * <p>A state file tells root what to kill and remove, so neither it nor its directory is used
 * unless only root (or the user running the lab, when not root) could have written it: not a
 * symbolic link, owned by that user, not writable by group or others. Anything else is an
 * {@link UnsafeStateException}.
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
        requireSafe(dir, "state directory");
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        requireSafe(file, "state file");
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
            requireSafe(dir, "state directory");
            Path file = fileOf(state.name());
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                requireSafe(file, "state file");
            }
            Path temporary = dir.resolve("." + file.getFileName() + ".tmp");
            JSON.writeValue(temporary.toFile(), state);
            Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
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

    /**
     * Throws {@link UnsafeStateException} if {@code path} (when it exists) is a symbolic link, is owned by
     * another user than root or the one running the lab, or is writable by group or others.
     */
    static void requireSafe(Path path, String what) {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        String fix = "; the lab acts on nothing it names, since anyone who could write it could make root remove or kill"
                + " what they like: remove it, or use a --state-dir only root can write";
        if (Files.isSymbolicLink(path)) {
            throw new UnsafeStateException("the " + what + " " + path + " is a symbolic link" + fix);
        }
        try {
            PosixFileAttributes attributes = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            int owner = (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            int self = LibC.geteuid();
            if (owner != 0 && owner != self) {
                throw new UnsafeStateException("the " + what + " " + path + " belongs to user " + attributes.owner().getName()
                        + " (uid " + owner + "), not to root" + (self == 0 ? "" : " or uid " + self) + fix);
            }
            Set<PosixFilePermission> permissions = attributes.permissions();
            if (permissions.contains(PosixFilePermission.GROUP_WRITE) || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new UnsafeStateException("the " + what + " " + path + " is writable by "
                        + (permissions.contains(PosixFilePermission.OTHERS_WRITE) ? "others" : "its group")
                        + " (mode " + PosixFilePermissions.toString(permissions) + ")" + fix);
            }
        } catch (IOException e) {
            throw new LabException("cannot check who may write the " + what + " " + path + ": " + e.getMessage(), e);
        }
    }

    /** The names of the labs with a state file, sorted. */
    public List<String> labs() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        requireSafe(dir, "state directory");
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
