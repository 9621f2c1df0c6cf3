package dev.portcullis.cli;

import dev.portcullis.attest.ArtifactUrl;
import dev.portcullis.attest.AttestationRejectedException;
import dev.portcullis.attest.AttestorKey;
import dev.portcullis.attest.PkixAlgorithm;
import dev.portcullis.attest.SignaturePayload;
import dev.portcullis.attest.SignatureVerifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code portcullis attest}: the signing-pipeline steps that need no server. */
@Command(name = "attest", mixinStandardHelpOptions = true, description = "Attestation payloads and offline verification.",
        subcommands = {AttestCommand.CreatePayload.class, AttestSignCommand.class, AttestCommand.Verify.class,
                AttestCreateCommand.class})
final class AttestCommand {

    /** {@code attest create-signature-payload}: the payload gcloud makes, byte for byte. */
    @Command(name = "create-signature-payload", mixinStandardHelpOptions = true,
            description = "Prints the simple-signing payload for an artifact, as gcloud container binauthz does.")
    static final class CreatePayload implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--artifact-url", required = true, description = "REPOSITORY@sha256:<digest>")
        String artifactUrl;

        @Override
        public Integer call() {
            try {
                ArtifactUrl a = ArtifactUrl.parse(artifactUrl);
                spec.commandLine().getOut().print(new String(SignaturePayload.forArtifact(a.repository(), a.digest()),
                        StandardCharsets.UTF_8));
                return 0;
            } catch (AttestationRejectedException e) {
                spec.commandLine().getErr().println(e.reason() + ": " + e.getMessage());
                return 2;
            }
        }
    }

    /** {@code attest verify}: exit 0 when the signature is valid for the artifact, 1 with the reason otherwise. */
    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Verifies a signature over a payload for an artifact, offline. Exit 0 valid, 1 invalid, 2 bad usage.")
    static final class Verify implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--artifact-url", required = true, description = "REPOSITORY@sha256:<digest>")
        String artifactUrl;

        @Option(names = {"--payload", "--payload-file"}, description = "The signed payload (optional for an attached PGP signature).")
        Path payload;

        @Option(names = {"--signature", "--signature-file"}, required = true, description = "The signature file (raw, or PGP armored/binary).")
        Path signature;

        @ArgGroup(exclusive = true, multiplicity = "1")
        KeyChoice key;

        /** Either a PGP or a PKIX key. */
        static final class KeyChoice {
            @Option(names = {"--pgp-public-key", "--pgp-public-key-file"}, description = "ASCII-armored OpenPGP public key.")
            Path pgp;

            @Option(names = {"--pkix-public-key", "--pkix-public-key-file"}, description = "PEM public key; needs --signature-algorithm.")
            Path pkix;
        }

        @Option(names = {"--signature-algorithm", "--pkix-public-key-algorithm"},
                description = "For PKIX keys, e.g. ECDSA_P256_SHA256 or ecdsa-p256-sha256, RSA_PSS_2048_SHA256.")
        String algorithm;

        @Override
        public Integer call() {
            var out = spec.commandLine().getOut();
            try {
                ArtifactUrl artifact = ArtifactUrl.parse(artifactUrl);
                byte[] sig = read(signature);
                byte[] body = payload == null ? null : read(payload);
                SignaturePayload p;
                if (key.pgp != null) {
                    p = SignatureVerifier.verifyPgp(artifact, body, sig, AttestorKey.Pgp.parse(Files.readString(key.pgp)));
                } else {
                    if (algorithm == null || body == null) {
                        spec.commandLine().getErr().println("portcullis attest verify: --pkix-public-key needs "
                                + "--signature-algorithm and --payload");
                        return 2;
                    }
                    AttestorKey.Pkix k = AttestorKey.Pkix.parse(Files.readString(key.pkix), PkixAlgorithm.parse(algorithm), null);
                    p = SignatureVerifier.verifyPkix(artifact, body, sig, k);
                }
                out.println("VALID: " + artifact + " signed (" + p.type() + ")");
                return 0;
            } catch (AttestationRejectedException e) {
                out.println(e.reason() + ": " + e.getMessage());
                return 1;
            } catch (IOException e) {
                spec.commandLine().getErr().println("portcullis attest verify: cannot read " + e.getMessage());
                return 2;
            }
        }

        private static byte[] read(Path p) throws IOException {
            if (Files.size(p) > 1024 * 1024) {
                throw new IOException(p + " (larger than 1 MiB)");
            }
            return Files.readAllBytes(p);
        }
    }
}
