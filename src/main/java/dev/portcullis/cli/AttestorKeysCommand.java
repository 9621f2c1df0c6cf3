package dev.portcullis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code portcullis attestors public-keys add|remove|list}, with gcloud's flag names. */
@Command(name = "public-keys", mixinStandardHelpOptions = true, description = "An attestor's public keys.",
        subcommands = {AttestorKeysCommand.Add.class, AttestorKeysCommand.Remove.class, AttestorKeysCommand.ListKeys.class})
final class AttestorKeysCommand {
    private AttestorKeysCommand() {}

    /** {@code public-keys add}: prints the key id. */
    @Command(name = "add", mixinStandardHelpOptions = true, description = "Adds a PGP or PKIX public key; prints its id.")
    static final class Add extends ServerCommand {
        @Option(names = "--attestor", required = true, description = "e.g. projects/p/attestors/built-by-ci")
        String attestor;

        @ArgGroup(exclusive = true, multiplicity = "1")
        KeyFile key;

        /** Either a PGP or a PKIX key file. */
        static final class KeyFile {
            @Option(names = "--pgp-public-key-file", description = "ASCII-armored OpenPGP public key (gpg --armor --export).")
            Path pgp;

            @Option(names = "--pkix-public-key-file", description = "PEM public key; needs --pkix-public-key-algorithm.")
            Path pkix;
        }

        @Option(names = "--pkix-public-key-algorithm", description = "e.g. ecdsa-p256-sha256, rsa-pss-2048-sha256 (or ECDSA_P256_SHA256).")
        String algorithm;

        @Option(names = "--public-key-id-override", description = "The PKIX key's id (default ni:///sha-256;... of the key).")
        String idOverride;

        @Override
        int run() throws IOException {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("attestor", attestor);
            if (key.pgp != null) {
                body.put("pgpPublicKey", Files.readString(key.pgp));
            } else {
                if (algorithm == null) {
                    spec.commandLine().getErr().println(spec.qualifiedName() + ": --pkix-public-key-file needs --pkix-public-key-algorithm");
                    return 2;
                }
                body.put("pkixPublicKey", Files.readString(key.pkix));
                body.put("signatureAlgorithm", algorithm);
                body.put("id", idOverride);
            }
            HttpResponse<String> r = api.call("POST", "/api/v1/attestor-keys", AttestorsCommand.JSON.writeValueAsString(body),
                    "application/json");
            if (r.statusCode() != 201) {
                return ApiClient.report(spec, r);
            }
            spec.commandLine().getOut().println(AttestorsCommand.JSON.readTree(r.body()).path("id").asText());
            return 0;
        }
    }

    /** {@code public-keys remove ID}: revokes the key, for good. */
    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Removes a key: revoked for good, attestations signed only by it stop counting; it stays listed as revoked.")
    static final class Remove extends ServerCommand {
        @Parameters(index = "0", paramLabel = "PUBLIC_KEY_ID")
        String id;

        @Option(names = "--attestor", required = true)
        String attestor;

        @Override
        int run() throws IOException {
            return report("POST", "/api/v1/attestor-keys/revoke", AttestorsCommand.JSON.writeValueAsString(
                    Map.of("attestor", attestor, "id", id)));
        }
    }

    /** {@code public-keys list}: one line per key, id, type, algorithm, revoked when. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists an attestor's keys: id, type, algorithm, revoked.")
    static final class ListKeys extends ServerCommand {
        @Option(names = "--attestor", required = true)
        String attestor;

        @Override
        int run() throws IOException {
            HttpResponse<String> r = api.call("GET", "/api/v1/attestor-keys?attestor="
                    + URLEncoder.encode(attestor, StandardCharsets.UTF_8), null, null);
            if (r.statusCode() != 200) {
                return ApiClient.report(spec, r);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.printf("%-56s %-4s %-26s %s%n", "ID", "TYPE", "ALGORITHM", "REVOKED");
            for (JsonNode k : AttestorsCommand.JSON.readTree(r.body()).path("publicKeys")) {
                boolean pgp = k.has("asciiArmoredPgpPublicKey");
                out.printf("%-56s %-4s %-26s %s%n", k.path("id").asText(), pgp ? "PGP" : "PKIX",
                        pgp ? "-" : k.at("/pkixPublicKey/signatureAlgorithm").asText(),
                        k.path("revokeTime").isNull() ? "-" : k.path("revokeTime").asText());
            }
            return 0;
        }
    }
}
