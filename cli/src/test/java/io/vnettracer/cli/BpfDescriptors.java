package io.vnettracer.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Counts this process's eBPF programs and links by their descriptors: what a failed start must not leave behind. */
final class BpfDescriptors {
    private BpfDescriptors() {}

    /** Open descriptors of programs and links ({@code anon_inode:bpf-prog}, {@code anon_inode:bpf-link}). */
    static int programsAndLinks() {
        int n = 0;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.equals("anon_inode:bpf-prog") || target.equals("anon_inode:bpf-link")) {
                        n++;
                    }
                } catch (IOException closedMeanwhile) {
                    // the directory stream's own descriptor, or one closed while listing
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return n;
    }
}
