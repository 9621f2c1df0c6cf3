package dev.portcullis.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code attest create}: submits a signed attestation to the server, which verifies it on arrival. */
@Command(name = "create", mixinStandardHelpOptions = true,
        description = "Submits an attestation. Exit 0 accepted, 1 refused (with the reason), 2 bad usage or no server.")
final class AttestCreateCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Mixin
    ApiClient api;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Who who;

    /** The attestor, or its Grafeas note as gcloud's --note names it. */
    static final class Who {
        @Option(names = "--attestor", required = true, description = "e.g. projects/p/attestors/built-by-ci")
        String attestor;

        @Option(names = "--note", required = true, description = "The Grafeas note, projects/P/notes/N: the attestor bound to it (attestors create "
                + "--attestation-authority-note; by default projects/P/attestors/N).")
        String note;
    }

    @Option(names = "--validate", description = "Accepted for gcloud's sake: the server always verifies before it stores.")
    boolean validate;

    @Option(names = "--artifact-url", required = true, description = "REPOSITORY@sha256:<digest>")
    String artifactUrl;

    @Option(names = "--signature-file", required = true, description = "The signature (attest sign, openssl, gpg).")
    Path signatureFile;

    @Option(names = {"--payload", "--payload-file"}, description = "The signed payload (not needed with --pgp-signed).")
    Path payload;

    @Option(names = "--public-key-id", description = "The id of the key that signed (not needed with --pgp-signed).")
    String publicKeyId;

    @Option(names = "--pgp-signed", description = "The signature file is an attached OpenPGP signature holding the payload.")
    boolean pgpSigned;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        try {
            Map<String, Object> attestation = new LinkedHashMap<>();
            if (pgpSigned) {
                attestation.put("pgpSignedAttestation", Map.of("signature", Files.readString(signatureFile, StandardCharsets.US_ASCII),
                        "contentType", "SIMPLE_SIGNING_JSON"));
            } else {
                if (payload == null || publicKeyId == null) {
                    err.println("portcullis attest create: give --payload and --public-key-id, or --pgp-signed");
                    return 2;
                }
                attestation.put("serializedPayload", Base64.getEncoder().encodeToString(Files.readAllBytes(payload)));
                attestation.put("signatures", List.of(Map.of("publicKeyId", publicKeyId,
                        "signature", Base64.getEncoder().encodeToString(Files.readAllBytes(signatureFile)))));
            }
            String body = JSON.writeValueAsString(Map.of("resourceUri", artifactUrl, "noteName", who.attestor != null ? who.attestor : who.note,
                    "attestation", attestation));
            HttpResponse<String> r = api.call("POST", "/api/v1/attestations", body, "application/json");
            (r.statusCode() / 100 == 2 ? out : err).println(r.body());
            return r.statusCode() / 100 == 2 ? 0 : r.statusCode() == 400 ? 1 : 2;
        } catch (IOException e) {
            err.println("portcullis attest create: " + e.getMessage());
            return 2;
        }
    }
}
