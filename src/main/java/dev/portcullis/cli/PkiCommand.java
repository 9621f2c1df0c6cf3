package dev.portcullis.cli;

import dev.portcullis.pki.CaOptions;
import dev.portcullis.pki.CertificateAuthority;
import dev.portcullis.pki.LeafRequest;
import dev.portcullis.pki.PemException;
import dev.portcullis.pki.PkiException;
import dev.portcullis.pki.SpiffeId;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code portcullis pki init|issue|revoke|crl}: a small ECDSA P-256 CA for mutual TLS and SPIFFE X.509-SVIDs. */
@Command(name = "pki", mixinStandardHelpOptions = true, description = "A small CA for mutual TLS: certificates, SPIFFE X.509-SVIDs, a CRL.",
        subcommands = {PkiCommand.Init.class, PkiIssueCommand.class, PkiCommand.Revoke.class, PkiCommand.Crl.class})
final class PkiCommand {
    private PkiCommand() {}

    /** Runs a CA operation: its messages on stderr, exit 2 for what the CA refused or a file that does not read. */
    static int run(CommandSpec spec, Callable<Integer> body) {
        try {
            return body.call();
        } catch (PkiException | PemException | IllegalArgumentException e) {
            spec.commandLine().getErr().println("portcullis " + spec.qualifiedName().replaceFirst("^portcullis ", "") + ": " + e.getMessage());
            return 2;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** {@code pki init}: a new CA in a directory. */
    @Command(name = "init", mixinStandardHelpOptions = true,
            description = "Makes a new ECDSA P-256 CA in DIR: ca.pem, ca-key.pem (0600), crl.pem, bundle.jwks (the SPIFFE trust bundle).")
    static final class Init implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Directory of the CA (made if missing; an existing CA is never overwritten).")
        Path dir;

        @Option(names = "--name", defaultValue = "Portcullis CA", description = "The CA's common name (default ${DEFAULT-VALUE}).")
        String name;

        @Option(names = "--trust-domain", paramLabel = "DOMAIN", description = "SPIFFE trust domain: the CA's URI SAN spiffe://DOMAIN, and the only domain its SVIDs may name.")
        String trustDomain;

        @Option(names = "--permit-dns", paramLabel = "DOMAIN", description = "Name constraint: the CA may certify only these DNS names and their subdomains (repeatable).")
        List<String> permitDns = new ArrayList<>();

        @Option(names = "--permit-ip", paramLabel = "CIDR", description = "Name constraint: the CA may certify only addresses in these ranges, e.g. 127.0.0.0/8 (repeatable).")
        List<String> permitIp = new ArrayList<>();

        @Option(names = "--days", defaultValue = "3650", description = "How long the CA is valid, in days (default ${DEFAULT-VALUE}).")
        int days;

        @Override
        public Integer call() {
            return run(spec, () -> {
                CertificateAuthority ca = CertificateAuthority.init(dir, new CaOptions(name, Optional.ofNullable(trustDomain),
                        permitDns, permitIp, Duration.ofDays(days)), Clock.systemUTC());
                spec.commandLine().getOut().println("CA " + ca.certificate().getSubjectX500Principal().getName() + " in " + dir
                        + " (serial " + hex(ca.certificate().getSerialNumber()) + ", until " + ca.certificate().getNotAfter().toInstant() + ")");
                return 0;
            });
        }
    }

    /** {@code pki revoke}: revokes by serial or identity and writes the CRL again. */
    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revokes a certificate of the CA by serial or identity and writes crl.pem again.")
    static final class Revoke implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Directory of the CA.")
        Path dir;

        @Option(names = "--serial", paramLabel = "HEX", description = "Serial number in hex, as openssl x509 -serial prints it.")
        String serial;

        @Option(names = "--identity", paramLabel = "NAME", description = "A client's name or SPIFFE ID, or a server's first name: every unrevoked certificate of it.")
        String identity;

        @Override
        public Integer call() {
            return run(spec, () -> {
                if ((serial == null) == (identity == null)) {
                    throw new PkiException("give one of --serial HEX or --identity NAME");
                }
                CertificateAuthority ca = CertificateAuthority.open(dir, Clock.systemUTC());
                List<BigInteger> revoked = serial != null ? ca.revokeSerial(serial) : ca.revokeIdentity(identity);
                revoked.forEach(s -> spec.commandLine().getOut().println("revoked " + hex(s)));
                spec.commandLine().getOut().println("wrote " + dir.resolve(CertificateAuthority.CRL));
                return 0;
            });
        }
    }

    /** {@code pki crl}: a fresh CRL before the last one's next update. */
    @Command(name = "crl", mixinStandardHelpOptions = true,
            description = "Writes crl.pem again with a new next update (30 days on); run it before the last one's runs out.")
    static final class Crl implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Directory of the CA.")
        Path dir;

        @Override
        public Integer call() {
            return run(spec, () -> {
                CertificateAuthority.open(dir, Clock.systemUTC()).refreshCrl();
                spec.commandLine().getOut().println("wrote " + dir.resolve(CertificateAuthority.CRL));
                return 0;
            });
        }
    }

    static String hex(BigInteger serial) {
        return serial.toString(16).toUpperCase(Locale.ROOT);
    }

    static Optional<SpiffeId> spiffe(String text) {
        return Optional.ofNullable(text).map(SpiffeId::parse);
    }

    static LeafRequest.Server server(List<String> dns, List<String> ips, int days) {
        return new LeafRequest.Server(dns, LeafRequest.ipLiterals(ips), Duration.ofDays(days));
    }
}
