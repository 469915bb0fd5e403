package io.vnettracer.bench.path;

import java.nio.file.Files;
import java.nio.file.Path;

/** Whether a program is on the PATH. */
final class Tools {
    private Tools() {}

    static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
