package dev.portcullis.attest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.portcullis.image.Digest;
import dev.portcullis.testbed.Processes;
import dev.portcullis.testbed.RequiresTools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signatures made by openssl, gpg and skopeo verify; their tampered twins do not. */
@RequiresTools({"openssl", "gpg"})
@Tag("tools")
class RealToolSignaturesTest {
    private static final Digest DIGEST = Digest.sha256("manifest".getBytes(StandardCharsets.UTF_8));
    private static final ArtifactUrl ARTIFACT = new ArtifactUrl("registry.local/team/app", DIGEST);

    @TempDir
    static Path dir;

    private static String fingerprint;
    private static AttestorKey.Pgp pgpKey;

    @BeforeAll
    static void tools() throws Exception {
        Files.write(dir.resolve("payload.json"), SignaturePayload.forArtifact(ARTIFACT.repository(), DIGEST));
        Path home = Files.createDirectories(dir.resolve("gnupg"));
        Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        gpg("--batch", "--passphrase", "", "--quick-gen-key", "CI Signer <ci@example.com>", "default", "default", "never");
        String colons = gpg("--with-colons", "--fingerprint", "ci@example.com");
        fingerprint = colons.lines().filter(l -> l.startsWith("fpr:")).findFirst().orElseThrow().split(":")[9];
        pgpKey = AttestorKey.Pgp.parse(gpg("--armor", "--export", "ci@example.com"));
    }

    private static String gpg(String... args) {
        String[] cmd = new String[args.length + 3];
        cmd[0] = "gpg";
        cmd[1] = "--homedir";
        cmd[2] = dir.resolve("gnupg").toString();
        System.arraycopy(args, 0, cmd, 3, args.length);
        return Processes.ok(dir, cmd);
    }

    private static byte[] bytes(String name) throws Exception {
        return Files.readAllBytes(dir.resolve(name));
    }

    private static byte[] tampered(byte[] b) {
        byte[] t = b.clone();
        int i = new String(t, StandardCharsets.UTF_8).indexOf("sha256:") + 7;
        t[i] = (byte) (t[i] == 'a' ? 'b' : 'a');
        return t;
    }

    @Test
    void pgpKey_fingerprint_isUpperCaseV4Fingerprint() {
        assertThat(pgpKey.id()).isEqualTo(fingerprint).matches("[0-9A-F]{40}");
    }

    @Test
    void verifyPgp_gpgDetachedSignature_validAndTamperedPayloadFails() throws Exception {
        gpg("--armor", "--output", dir.resolve("detached.asc").toString(), "--detach-sign", dir.resolve("payload.json").toString());
        SignaturePayload p = SignatureVerifier.verifyPgp(ARTIFACT, bytes("payload.json"), bytes("detached.asc"), pgpKey);
        assertThat(p.manifestDigest()).isEqualTo(DIGEST);
        assertThatThrownBy(() -> SignatureVerifier.verifyPgp(ARTIFACT, tampered(bytes("payload.json")), bytes("detached.asc"), pgpKey))
                .isInstanceOfSatisfying(AttestationRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE));
    }

    @Test
    void verifyPgp_gpgAttachedArmoredSignature_validAndTamperedFails() throws Exception {
        gpg("--armor", "--output", dir.resolve("attached.asc").toString(), "--sign", dir.resolve("payload.json").toString());
        assertThat(SignatureVerifier.verifyPgp(ARTIFACT, null, bytes("attached.asc"), pgpKey).dockerReference())
                .isEqualTo("registry.local/team/app");
        byte[] sig = bytes("attached.asc");
        String text = new String(sig, StandardCharsets.US_ASCII);
        int body = text.indexOf("\n\n") + 10;
        byte[] broken = sig.clone();
        broken[body] = (byte) (broken[body] == 'A' ? 'B' : 'A');
        assertThatThrownBy(() -> SignatureVerifier.verifyPgp(ARTIFACT, null, broken, pgpKey))
                .isInstanceOf(AttestationRejectedException.class);
    }

    @Test
    void verifyPgp_otherKey_isUnknownKey() throws Exception {
        Path other = Files.createDirectories(dir.resolve("other"));
        Files.setPosixFilePermissions(other, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Processes.ok(dir, "gpg", "--homedir", other.toString(), "--batch", "--passphrase", "", "--quick-gen-key", "Other <o@example.com>",
                "default", "default", "never");
        Processes.ok(dir, "gpg", "--homedir", other.toString(), "--armor", "--output", dir.resolve("other.asc").toString(),
                "--detach-sign", dir.resolve("payload.json").toString());
        assertThatThrownBy(() -> SignatureVerifier.verifyPgp(ARTIFACT, bytes("payload.json"), bytes("other.asc"), pgpKey))
                .isInstanceOfSatisfying(AttestationRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_KEY));
    }

    @Test
    void verifyPgp_skopeoStandaloneSign_validForManifestDigest() throws Exception {
        assumeTrue(Processes.onPath("skopeo"), "skopeo is installed by .ci/run");
        Path manifest = Files.writeString(dir.resolve("manifest.json"), "{\"schemaVersion\":2,\"layers\":[]}");
        Digest d = Digest.sha256(Files.readAllBytes(manifest));
        Processes.Result r = Processes.run(dir, List.of("env", "GNUPGHOME=" + dir.resolve("gnupg"), "skopeo", "standalone-sign",
                manifest.toString(), "registry.local/team/app:1", fingerprint, "-o", dir.resolve("skopeo.sig").toString()));
        assertThat(r.exitCode()).as(r.output()).isZero();
        SignaturePayload p = SignatureVerifier.verifyPgp(new ArtifactUrl("registry.local/team/app", d), null, bytes("skopeo.sig"), pgpKey);
        assertThat(p.type()).isEqualTo("atomic container signature");
        assertThatThrownBy(() -> SignatureVerifier.verifyPgp(ARTIFACT, null, bytes("skopeo.sig"), pgpKey))
                .isInstanceOfSatisfying(AttestationRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.DIGEST_MISMATCH));
    }

    @Test
    void verifyPkix_opensslEcdsaP256_validAndTamperedFails() throws Exception {
        Processes.ok(dir, "openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ec.pem");
        Processes.ok(dir, "openssl", "ec", "-in", "ec.pem", "-pubout", "-out", "ec.pub");
        Processes.ok(dir, "openssl", "dgst", "-sha256", "-sign", "ec.pem", "-out", "ec.sig", "payload.json");
        AttestorKey.Pkix key = AttestorKey.Pkix.parse(Files.readString(dir.resolve("ec.pub")), PkixAlgorithm.ECDSA_P256_SHA256, null);
        assertThat(key.id()).startsWith("ni:///sha-256;");
        assertThat(SignatureVerifier.verifyPkix(ARTIFACT, bytes("payload.json"), bytes("ec.sig"), key).manifestDigest()).isEqualTo(DIGEST);
        assertThatThrownBy(() -> SignatureVerifier.verifyPkix(ARTIFACT, tampered(bytes("payload.json")), bytes("ec.sig"), key))
                .isInstanceOfSatisfying(AttestationRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE));
    }

    @Test
    void verifyPkix_opensslRsaPss_validAndTamperedFails() throws Exception {
        Processes.ok(dir, "openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "rsa.pem");
        Processes.ok(dir, "openssl", "pkey", "-in", "rsa.pem", "-pubout", "-out", "rsa.pub");
        Processes.ok(dir, "openssl", "dgst", "-sha256", "-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:32",
                "-sign", "rsa.pem", "-out", "rsa.sig", "payload.json");
        AttestorKey.Pkix key = AttestorKey.Pkix.parse(Files.readString(dir.resolve("rsa.pub")), PkixAlgorithm.RSA_PSS_2048_SHA256, null);
        assertThat(SignatureVerifier.verifyPkix(ARTIFACT, bytes("payload.json"), bytes("rsa.sig"), key).type())
                .isEqualTo(SignaturePayload.BINAUTHZ_TYPE);
        assertThatThrownBy(() -> SignatureVerifier.verifyPkix(ARTIFACT, tampered(bytes("payload.json")), bytes("rsa.sig"), key))
                .isInstanceOf(AttestationRejectedException.class);
        assertThatThrownBy(() -> AttestorKey.Pkix.parse(Files.readString(dir.resolve("rsa.pub")), PkixAlgorithm.ECDSA_P256_SHA256, null))
                .isInstanceOfSatisfying(AttestationRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_KEY));
    }

    @Test
    void forArtifact_payload_matchesGcloudShape() throws Exception {
        assertThat(new String(bytes("payload.json"), StandardCharsets.UTF_8)).isEqualTo("""
                {
                  "critical": {
                    "identity": {
                      "docker-reference": "registry.local/team/app"
                    },
                    "image": {
                      "docker-manifest-digest": "%s"
                    },
                    "type": "Google cloud binauthz container signature"
                  }
                }
                """.formatted(DIGEST));
    }
}
