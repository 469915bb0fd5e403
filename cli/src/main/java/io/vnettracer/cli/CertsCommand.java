package io.vnettracer.cli;

import io.vnettracer.remote.tls.CertificateAuthority;
import io.vnettracer.remote.tls.TlsFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Creates the CA and certificates for agents and a collector. */
@Command(name = "certs",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Creates a CA (ca.pem, ca.key) and a certificate and key per agent (NODE.pem, NODE.key: server only)",
            "and for the collector (NAME.pem, NAME.key: client only) in DIR. Keys are written mode 0600.",
            "Copy ca.pem with each node's pair to that node; keep ca.key off the agents."
        })
final class CertsCommand implements Callable<Integer> {
    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Where the files go (a new or empty directory).")
    private Path dir;

    @Option(names = "--node", required = true, paramLabel = "NAME", description = "An agent's node name (repeatable).")
    private List<String> nodes = new ArrayList<>();

    @Option(names = "--collector", paramLabel = "NAME", defaultValue = TlsFiles.DEFAULT_COLLECTOR,
            description = "The collector's name (default ${DEFAULT-VALUE}).")
    private String collector;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        if (Files.exists(dir.resolve("ca.pem"))) {
            throw new BadInputException(dir + " already holds a CA (ca.pem); give a new directory", null);
        }
        for (String n : nodes) {
            if (!n.matches("[A-Za-z0-9_.-]{1,64}") || n.equals("ca") || n.equals(collector)) {
                throw new BadInputException("node name '" + n + "': 1 to 64 letters, digits, '_', '.', '-', not 'ca' "
                        + "nor the collector's name", null);
            }
        }
        CertificateAuthority ca = CertificateAuthority.create(dir, "vnettracer CA");
        for (String n : nodes) {
            ca.issueAgent(dir, n);
        }
        ca.issueCollector(dir, collector);
        spec.commandLine().getOut().println("vnettracer certs: CA and certificates for " + nodes + " and collector '"
                + collector + "' in " + dir);
        spec.commandLine().getOut().flush();
        return Main.EXIT_OK;
    }
}
