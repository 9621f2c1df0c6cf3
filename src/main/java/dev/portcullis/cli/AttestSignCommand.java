package dev.portcullis.cli;

import dev.portcullis.attest.AttestationRejectedException;
import dev.portcullis.attest.PgpSigner;
import dev.portcullis.attest.PkixAlgorithm;
import dev.portcullis.config.Secret;
import dev.portcullis.pki.Pem;
import dev.portcullis.pki.PemException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code attest sign}: signs a payload with a PKIX PEM private key or an OpenPGP secret key. */
@Command(name = "sign", mixinStandardHelpOptions = true,
        description = "Signs a payload: PKIX (PEM private key + algorithm) or OpenPGP (armored secret key).")
final class AttestSignCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"--payload", "--payload-file"}, required = true, description = "The payload to sign (attest create-signature-payload).")
    Path payload;

    @Option(names = {"--output", "--signature-file"}, required = true, description = "Where to write the signature.")
    Path output;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Key key;

    /** One kind of key. */
    static final class Key {
        @Option(names = "--pkix-private-key", description = "PEM private key (unencrypted).")
        Path pkix;

        @Option(names = "--pgp-secret-key", description = "Armored OpenPGP secret key (gpg --export-secret-keys --armor).")
        Path pgp;
    }

    @Option(names = {"--signature-algorithm", "--pkix-public-key-algorithm"},
            description = "For PKIX keys, e.g. ECDSA_P256_SHA256 or ecdsa-p256-sha256.")
    String algorithm;

    @Option(names = "--pgp-passphrase-file", description = "File with the OpenPGP key's passphrase (none by default).")
    Path passphraseFile;

    @Option(names = "--pgp-attached", description = "Write an attached (signed-message) signature instead of a detached one.")
    boolean attached;

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        try {
            byte[] body = Files.readAllBytes(payload);
            byte[] sig;
            if (key.pkix != null) {
                if (algorithm == null) {
                    err.println("portcullis attest sign: --pkix-private-key needs --signature-algorithm");
                    return 2;
                }
                sig = PkixAlgorithm.parse(algorithm).sign(Pem.readPrivateKey(key.pkix), body);
            } else {
                Secret pass = Secret.of(passphraseFile == null ? "" : Files.readString(passphraseFile).strip());
                sig = PgpSigner.sign(Files.readString(key.pgp), pass, body, attached);
            }
            Files.write(output, sig);
            return 0;
        } catch (AttestationRejectedException e) {
            err.println(e.reason() + ": " + e.getMessage());
            return 1;
        } catch (PemException | IOException e) {
            err.println("portcullis attest sign: " + e.getMessage());
            return 2;
        }
    }
}
