package dev.portcullis.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.testbed.Processes;
import dev.portcullis.testbed.RequiresTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CA's files read by the real openssl: chains, CRL checks, SVID extensions, name constraints, key modes. */
@RequiresTools("openssl")
class CertificateAuthorityOpensslTest {
    private static final Duration YEAR = Duration.ofDays(365);

    @TempDir
    Path dir;

    private CertificateAuthority ca(Optional<String> trustDomain, List<String> dns, List<String> ips) {
        return CertificateAuthority.init(dir.resolve("ca"), new CaOptions("Test CA", trustDomain, dns, ips, Duration.ofDays(3650)),
                Clock.systemUTC());
    }

    private String openssl(String... args) {
        return Processes.ok(dir, java.util.stream.Stream.concat(java.util.stream.Stream.of("openssl"),
                java.util.stream.Stream.of(args)).toArray(String[]::new));
    }

    private Processes.Result verify(String cert) {
        return Processes.run(dir, "openssl", "verify", "-crl_check", "-CAfile", "ca/ca.pem", "-CRLfile", "ca/crl.pem", cert);
    }

    @Test
    void init_newDirectory_caKeyOwnerOnlyAndCaExtensionsAsOpensslReadsThem() throws Exception {
        ca(Optional.of("example.org"), List.of(), List.of());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca/ca-key.pem")))).isEqualTo("rw-------");
        String text = openssl("x509", "-in", "ca/ca.pem", "-noout", "-text");
        assertThat(text).contains("ASN1 OID: prime256v1", "CA:TRUE, pathlen:0", "Certificate Sign, CRL Sign",
                "URI:spiffe://example.org", "ecdsa-with-SHA256");
        assertThat(openssl("crl", "-in", "ca/crl.pem", "-noout", "-text")).contains("No Revoked Certificates");
    }

    @Test
    void init_existingCa_refusedWithoutTouchingIt() throws Exception {
        ca(Optional.empty(), List.of(), List.of());
        String before = Files.readString(dir.resolve("ca/ca-key.pem"));
        assertThatThrownBy(() -> ca(Optional.empty(), List.of(), List.of())).isInstanceOf(PkiException.class).hasMessageContaining("exists already");
        assertThat(dir.resolve("ca/ca-key.pem")).hasContent(before);
    }

    @Test
    void issueClient_withSpiffeId_anX509SvidAsTheStandardSays() throws Exception {
        CertificateAuthority ca = ca(Optional.of("example.org"), List.of(), List.of());
        ca.issue(new LeafRequest.Client("ci", Optional.of(SpiffeId.parse("spiffe://example.org/ci/deployer")), YEAR)).writeTo(dir + "/ci");
        assertThat(verify("ci.pem").output()).contains("ci.pem: OK");
        String text = openssl("x509", "-in", "ci.pem", "-noout", "-text");
        assertThat(text).contains("X509v3 Basic Constraints: critical\n                CA:FALSE",
                "X509v3 Key Usage: critical\n                Digital Signature\n",
                "TLS Web Server Authentication, TLS Web Client Authentication",
                "X509v3 Subject Alternative Name: \n                URI:spiffe://example.org/ci/deployer\n");
        assertThat(text.split("URI:", -1)).hasSize(2); // exactly one URI SAN
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ci-key.pem")))).isEqualTo("rw-------");
        // The key is the certificate's: openssl derives the same public key from both.
        assertThat(openssl("pkey", "-in", "ci-key.pem", "-pubout")).isEqualTo(openssl("x509", "-in", "ci.pem", "-noout", "-pubkey"));
    }

    @Test
    void issueClient_spiffeIdOfAnotherTrustDomain_refused() {
        CertificateAuthority ca = ca(Optional.of("example.org"), List.of(), List.of());
        assertThatThrownBy(() -> ca.issue(new LeafRequest.Client("x", Optional.of(SpiffeId.parse("spiffe://other.org/x")), YEAR)))
                .isInstanceOf(PkiException.class).hasMessageContaining("not of this CA's trust domain example.org");
    }

    @Test
    void issueServer_dnsAndIp_servesTlsToOpensslWithTheNames() throws Exception {
        CertificateAuthority ca = ca(Optional.empty(), List.of(), List.of());
        ca.issue(new LeafRequest.Server(List.of("engine.local"), LeafRequest.ipLiterals(List.of("127.0.0.1")), YEAR)).writeTo(dir + "/srv");
        assertThat(openssl("x509", "-in", "srv.pem", "-noout", "-ext", "subjectAltName,extendedKeyUsage"))
                .contains("DNS:engine.local, IP Address:127.0.0.1", "TLS Web Server Authentication");
        assertThat(Processes.run(dir, "openssl", "verify", "-CAfile", "ca/ca.pem", "-verify_ip", "127.0.0.1", "-purpose", "sslserver",
                "srv.pem").output()).contains("srv.pem: OK");
    }

    @Test
    void revoke_bySerialAndByName_opensslCrlCheckRefusesOnlyThose() throws Exception {
        CertificateAuthority ca = ca(Optional.empty(), List.of(), List.of());
        CertificateAuthority.Issued alice = ca.issue(new LeafRequest.Client("alice", Optional.empty(), YEAR));
        alice.writeTo(dir + "/alice");
        ca.issue(new LeafRequest.Client("bob", Optional.empty(), YEAR)).writeTo(dir + "/bob");
        ca.issue(new LeafRequest.Client("carol", Optional.empty(), YEAR)).writeTo(dir + "/carol");

        ca.revokeSerial(alice.certificate().getSerialNumber().toString(16));
        ca.revokeIdentity("bob");

        assertThat(verify("alice.pem").output()).contains("certificate revoked");
        assertThat(verify("bob.pem").output()).contains("certificate revoked");
        assertThat(verify("carol.pem").output()).contains("carol.pem: OK");
        assertThatThrownBy(() -> ca.revokeIdentity("bob")).isInstanceOf(PkiException.class).hasMessageContaining("no unrevoked certificate");
        RevocationList crl = RevocationList.read(dir.resolve("ca/crl.pem"), List.of(ca.certificate()));
        assertThat(crl.revokes(alice.certificate())).isTrue();
        assertThat(crl.size()).isEqualTo(2);
    }

    @Test
    void revocationList_signedByAnotherCa_refused() {
        ca(Optional.empty(), List.of(), List.of());
        CertificateAuthority other = CertificateAuthority.init(dir.resolve("other"),
                new CaOptions("Test CA", Optional.empty(), List.of(), List.of(), YEAR), Clock.systemUTC());
        assertThatThrownBy(() -> RevocationList.read(dir.resolve("ca/crl.pem"), List.of(other.certificate())))
                .isInstanceOf(PkiException.class).hasMessageContaining("not signed by the configured CA");
    }

    @Test
    void nameConstraints_serverOutsideThePermittedDomain_refusedByOpenssl() throws Exception {
        CertificateAuthority ca = ca(Optional.of("example.org"), List.of("example.org"), List.of("127.0.0.0/8"));
        assertThat(openssl("x509", "-in", "ca/ca.pem", "-noout", "-ext", "nameConstraints"))
                .contains("critical", "DNS:example.org", "IP:127.0.0.0/255.0.0.0", "URI:example.org");
        ca.issue(new LeafRequest.Server(List.of("engine.example.org"), LeafRequest.ipLiterals(List.of("127.0.0.1")), YEAR)).writeTo(dir + "/in");
        ca.issue(new LeafRequest.Server(List.of("engine.example.com"), List.of(), YEAR)).writeTo(dir + "/out");
        ca.issue(new LeafRequest.Client("ci", Optional.of(SpiffeId.parse("spiffe://example.org/ci")), YEAR)).writeTo(dir + "/svid");
        assertThat(verify("in.pem").output()).contains("in.pem: OK");
        assertThat(verify("svid.pem").output()).contains("svid.pem: OK");
        assertThat(verify("out.pem").output()).contains("permitted subtree violation");
    }

    @Test
    void trustBundle_jwkSetWithTheCaAsX509SvidKey() throws Exception {
        CertificateAuthority ca = ca(Optional.of("example.org"), List.of(), List.of());
        JsonNode key = new ObjectMapper().readTree(dir.resolve("ca/bundle.jwks").toFile()).path("keys").get(0);
        assertThat(key.path("use").asText()).isEqualTo("x509-svid");
        assertThat(key.path("kty").asText()).isEqualTo("EC");
        assertThat(key.path("crv").asText()).isEqualTo("P-256");
        assertThat(Base64.getUrlDecoder().decode(key.path("x").asText())).hasSize(32);
        assertThat(key.path("x5c")).hasSize(1);
        assertThat(Base64.getDecoder().decode(key.path("x5c").get(0).asText())).isEqualTo(ca.certificate().getEncoded());
    }
}
