package io.vnettracer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher and its JDK lookup (scripts/lib/jdk.sh), run as a user would run them. */
class LauncherTest {
    private static final Path ROOT = Processes.repositoryRoot();
    private static final Path JDK_SH = ROOT.resolve("scripts/lib/jdk.sh");

    @TempDir
    Path jvmRoot;

    /** A directory that looks like an installed JDK (or, without javac, a JRE) of this version. */
    private Path fakeJdk(String name, String version, boolean withJavac) throws IOException {
        Path home = jvmRoot.resolve(name);
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + version + "\"\n");
        for (String tool : withJavac ? List.of("java", "javac") : List.of("java")) {
            Path p = Files.writeString(home.resolve("bin").resolve(tool), "#!/bin/sh\nexit 0\n");
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return home;
    }

    private Processes.Result findJdk(String javaHome) throws Exception {
        Map<String, String> env = javaHome == null
                ? Map.of("VNT_JVM_ROOT", jvmRoot.toString())
                : Map.of("VNT_JVM_ROOT", jvmRoot.toString(), "JAVA_HOME", javaHome);
        return Processes.run(List.of("bash", "-c", "source \"$1\" && vnt_find_jdk && echo \"$VNT_JAVA_HOME\"",
                "lookup", JDK_SH.toString()), jvmRoot, env, List.of("JAVA_HOME"));
    }

    @Test
    void picksTheNewestJdkThatIsRecentEnough() throws Exception {
        fakeJdk("java-17-openjdk", "17.0.15", true);
        fakeJdk("temurin-25", "25.0.3", true);
        fakeJdk("temurin-25-newer", "25.0.10", true);
        fakeJdk("jre-27", "27", false);
        Files.createDirectories(jvmRoot.resolve("openjdk-17"));

        Processes.Result r = findJdk(null);
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(jvmRoot.resolve("temurin-25-newer") + "\n", r.out());
    }

    @Test
    void prefersJavaHomeWhenItIsRecentEnough() throws Exception {
        Path older = fakeJdk("temurin-25", "25.0.1", true);
        fakeJdk("temurin-26", "26.0.1", true);
        assertEquals(older + "\n", findJdk(older.toString()).out());

        Path tooOld = fakeJdk("java-17", "17.0.15", true);
        assertEquals(jvmRoot.resolve("temurin-26") + "\n", findJdk(tooOld.toString()).out());
    }

    @Test
    void withoutAJdkSaysWhereItLookedAndWhatItFound() throws Exception {
        Path old = fakeJdk("java-17-openjdk", "17.0.15", true);
        fakeJdk("jre-25", "25.0.3", false);
        Files.createDirectories(jvmRoot.resolve("openjdk-17"));

        Processes.Result r = findJdk(old.toString());
        assertEquals(1, r.exitCode());
        assertEquals("", r.out());
        assertTrue(r.err().contains("needs a JDK 25 or newer"), r.err());
        assertTrue(r.err().contains("JAVA_HOME=" + old + ": version 17.0.15, older than 25"), r.err());
        assertTrue(r.err().contains(jvmRoot.resolve("java-17-openjdk") + ": version 17.0.15"), r.err());
        assertTrue(r.err().contains(jvmRoot.resolve("jre-25") + ": version 25.0.3 but no bin/javac"), r.err());
        assertTrue(r.err().contains(jvmRoot.resolve("openjdk-17") + ": no release file"), r.err());
    }

    @Test
    void theLauncherRunsFromAnyDirectoryWithoutStdin(@TempDir Path elsewhere) throws Exception {
        // A stale or missing jar would make the launcher run Maven inside this Maven build.
        assumeTrue(jarIsFresh(), "cli/target/vnettracer.jar is missing or older than the sources: "
                + "run ./vnettracer once (it builds the jar), then this test checks it");

        Processes.Result r = Processes.run(List.of(ROOT.resolve("vnettracer").toString(), "--version"),
                elsewhere, Map.of(), List.of());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("vnettracer " + VersionProvider.version() + "\n"), r.out());
        assertEquals("", r.err());
    }

    /** The launcher's own staleness rule: no pom.xml or main source newer than the jar. */
    private static boolean jarIsFresh() throws IOException {
        Path jar = ROOT.resolve("cli/target/vnettracer.jar");
        if (!Files.isRegularFile(jar)) {
            return false;
        }
        FileTime built = Files.getLastModifiedTime(jar);
        try (Stream<Path> files = Files.walk(ROOT)) {
            return files.filter(p -> !ROOT.relativize(p).toString().matches("(.*/)?(target|\\.git)(/.*)?"))
                    .filter(p -> p.getFileName().toString().equals("pom.xml") || p.toString().contains("/src/main/"))
                    .filter(Files::isRegularFile)
                    .noneMatch(p -> newer(p, built));
        }
    }

    private static boolean newer(Path p, FileTime than) {
        try {
            return Files.getLastModifiedTime(p).compareTo(than) > 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
