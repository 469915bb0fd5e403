package io.vnettracer.cli;

import io.vnettracer.remote.tls.CertificateAuthority;
import io.vnettracer.remote.tls.TlsFiles;
import io.vnettracer.remote.tls.NodeName;
import io.vnettracer.sinks.output.OutputFile;
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
            "(existing files are refused unless --force; names: letters, digits, _ . -, not starting with .)",
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

    @Option(names = "--force", description = "Replace a CA, certificates and keys that exist in DIR"
            + " (certificates issued by the old CA stop being trusted).")
    private boolean force;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        checkName("--collector", collector);
        for (String n : nodes) {
            checkName("--node", n);
            if (n.equals(collector) || nodes.indexOf(n) != nodes.lastIndexOf(n)) {
                throw new BadInputException("--node " + n + ": given twice or also the collector's name; every party needs its own", null);
            }
        }
        List<TlsFiles> parties = new ArrayList<>();
        parties.add(new TlsFiles(dir, "ca"));
        nodes.forEach(n -> parties.add(new TlsFiles(dir, n)));
        parties.add(new TlsFiles(dir, collector));
        // Every file is checked before the CA is made: a refusal leaves DIR as it was.
        if (Files.isDirectory(dir)) {
            for (TlsFiles party : parties) {
                CheckedOutput.check(OutputFile.of("--dir", party.certificate(), force).readableByAll());
                CheckedOutput.check(OutputFile.of("--dir", party.key(), force));
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

    private static void checkName(String option, String name) {
        try {
            NodeName.require(option, name);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        if (name.equals("ca")) {
            throw new BadInputException(option + " ca: 'ca' names the CA's own files; choose another name", null);
        }
    }
}
