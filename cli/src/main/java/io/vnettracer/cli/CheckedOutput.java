package io.vnettracer.cli;

import io.vnettracer.sinks.output.OutputFile;
import io.vnettracer.sinks.output.OutputFileException;
import java.nio.file.Path;

/** A command's output option, checked when the command starts: a refused path is bad input (exit 2) before anything runs. */
final class CheckedOutput {
    private CheckedOutput() {}

    /** {@code null} when the option was not given. */
    static OutputFile of(String option, Path path, boolean force) {
        return path == null ? null : check(OutputFile.of(option, path, force));
    }

    static OutputFile check(OutputFile file) {
        try {
            file.check();
            return file;
        } catch (OutputFileException e) {
            throw new BadInputException(e.getMessage(), e);
        }
    }
}
