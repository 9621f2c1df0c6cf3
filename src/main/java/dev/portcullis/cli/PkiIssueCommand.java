package dev.portcullis.cli;

import dev.portcullis.pki.CertificateAuthority;
import dev.portcullis.pki.LeafRequest;
import dev.portcullis.pki.PkiException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code portcullis pki issue server|client}: a key and a certificate signed by the CA. */
@Command(name = "issue", mixinStandardHelpOptions = true, description = "Issues a server or client certificate with a new ECDSA P-256 key.",
        subcommands = {PkiIssueCommand.Server.class, PkiIssueCommand.Client.class})
final class PkiIssueCommand {
    private PkiIssueCommand() {}

    /** Where the files go: {@code --out PREFIX}, {@code --docker-context DIR}, or both. */
    static final class Output {
        @Option(names = "--out", paramLabel = "PREFIX", description = "Writes PREFIX.pem (the certificate) and PREFIX-key.pem (0600).")
        String out;

        @Option(names = "--docker-context", paramLabel = "DIR",
                description = "Writes DIR/ca.pem, DIR/cert.pem and DIR/key.pem (0600), as the docker CLI's DOCKER_CERT_PATH expects.")
        Path dockerContext;

        @Option(names = "--days", defaultValue = "365", description = "How long the certificate is valid, in days (default ${DEFAULT-VALUE}; never past the CA).")
        int days;

        void write(CommandSpec spec, Path dir, LeafRequest request) {
            if (out == null && dockerContext == null) {
                throw new PkiException("say where to write the certificate: --out PREFIX or --docker-context DIR");
            }
            CertificateAuthority.Issued issued = CertificateAuthority.open(dir, Clock.systemUTC()).issue(request);
            List<Path> files = new ArrayList<>();
            if (out != null) {
                files.addAll(issued.writeTo(out));
            }
            if (dockerContext != null) {
                files.addAll(issued.writeDockerContext(dockerContext));
            }
            spec.commandLine().getOut().println("issued " + issued.certificate().getSubjectX500Principal().getName() + " serial "
                    + PkiCommand.hex(issued.certificate().getSerialNumber()) + " until " + issued.certificate().getNotAfter().toInstant());
            files.forEach(f -> spec.commandLine().getOut().println("wrote " + f));
        }
    }

    /** {@code pki issue server}: a TLS server certificate. */
    @Command(name = "server", mixinStandardHelpOptions = true, description = "A TLS server certificate for the DNS names and IP addresses given.")
    static final class Server implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Directory of the CA.")
        Path dir;

        @Option(names = "--dns", paramLabel = "NAME", description = "A DNS name of the server (repeatable).")
        List<String> dns = new ArrayList<>();

        @Option(names = "--ip", paramLabel = "ADDR", description = "An IP address of the server (repeatable).")
        List<String> ip = new ArrayList<>();

        @picocli.CommandLine.Mixin
        Output output;

        @Override
        public Integer call() {
            return PkiCommand.run(spec, () -> {
                output.write(spec, dir, PkiCommand.server(dns, ip, output.days));
                return 0;
            });
        }
    }

    /** {@code pki issue client}: a client certificate, an X.509-SVID with {@code --spiffe-id}. */
    @Command(name = "client", mixinStandardHelpOptions = true,
            description = "A TLS client certificate named NAME (its CN); with --spiffe-id an X.509-SVID whose one URI SAN is the SPIFFE ID.")
    static final class Client implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Directory of the CA.")
        Path dir;

        @Option(names = "--name", required = true, description = "The client's name: the subject CN, its identity when it has no SPIFFE ID.")
        String name;

        @Option(names = "--spiffe-id", paramLabel = "spiffe://DOMAIN/PATH", description = "The client's SPIFFE ID, of the CA's trust domain: its identity.")
        String spiffeId;

        @picocli.CommandLine.Mixin
        Output output;

        @Override
        public Integer call() {
            return PkiCommand.run(spec, () -> {
                output.write(spec, dir, new LeafRequest.Client(name, PkiCommand.spiffe(spiffeId), Duration.ofDays(output.days)));
                return 0;
            });
        }
    }
}
