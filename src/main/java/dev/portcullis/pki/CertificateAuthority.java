package dev.portcullis.pki;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A small CA kept in one directory: {@code ca.pem}, {@code ca-key.pem} (0600), {@code crl.pem}, the
 * trust bundle {@code bundle.jwks} and the record of what it issued ({@code issued.tsv}).
 */
public final class CertificateAuthority {
    public static final String CERT = "ca.pem";
    public static final String KEY = "ca-key.pem";
    public static final String CRL = "crl.pem";
    public static final String BUNDLE = "bundle.jwks";
    /** How long a CRL is valid: revoking or {@code pki crl} writes a new one before then. */
    public static final Duration CRL_VALIDITY = Duration.ofDays(30);

    private final Path dir;
    private final X509Certificate certificate;
    private final PrivateKey key;
    private final Clock clock;

    private CertificateAuthority(Path dir, X509Certificate certificate, PrivateKey key, Clock clock) {
        this.dir = dir;
        this.certificate = certificate;
        this.key = key;
        this.clock = clock;
    }

    /** Makes a new CA in {@code dir}; refuses a directory that holds one already. */
    public static CertificateAuthority init(Path dir, CaOptions options, Clock clock) {
        OwnerOnlyFiles.requireAbsent(dir.resolve(CERT));
        OwnerOnlyFiles.requireAbsent(dir.resolve(KEY));
        KeyPair keys = CertificateBuilder.newKeyPair();
        X509Certificate cert = CertificateBuilder.selfSignedCa(keys, options, clock.instant());
        // The key first: a CA certificate without its key would look usable and is not.
        OwnerOnlyFiles.writeSecret(dir.resolve(KEY), Pem.write(keys.getPrivate()));
        OwnerOnlyFiles.writePublic(dir.resolve(CERT), Pem.write(cert));
        CertificateAuthority ca = new CertificateAuthority(dir, cert, keys.getPrivate(), clock);
        IssuedIndex index = new IssuedIndex(List.of());
        index.write(dir);
        ca.writeCrl(index);
        return ca;
    }

    /** Opens the CA in {@code dir}: {@link PkiException} when there is none or its key is not its certificate's. */
    public static CertificateAuthority open(Path dir, Clock clock) {
        if (!Files.exists(dir.resolve(CERT))) {
            throw new PkiException(dir + " holds no CA (" + CERT + "): make one with pki init --dir " + dir);
        }
        ServerKeyMaterial m = ServerKeyMaterial.read(new ServerKeyMaterial.Files(dir.resolve(CERT), dir.resolve(KEY), Optional.empty()));
        return new CertificateAuthority(dir, m.chain().getFirst(), m.key(), clock);
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** The SPIFFE trust domain of the CA (its URI SAN), if it has one. */
    public Optional<String> trustDomain() {
        try {
            var names = certificate.getSubjectAlternativeNames();
            if (names == null) {
                return Optional.empty();
            }
            return names.stream().filter(n -> (Integer) n.get(0) == 6).map(n -> SpiffeId.parse((String) n.get(1)).trustDomain())
                    .findFirst();
        } catch (CertificateParsingException e) {
            throw new PkiException(dir.resolve(CERT) + ": unreadable subject alternative names", e);
        }
    }

    /** Signs a new key for the request and records it; a SPIFFE ID must be of the CA's trust domain. */
    public Issued issue(LeafRequest request) {
        if (request instanceof LeafRequest.Client c && c.spiffeId().isPresent()) {
            String domain = c.spiffeId().get().trustDomain();
            Optional<String> own = trustDomain();
            if (own.isPresent() && !own.get().equals(domain)) {
                throw new PkiException("--spiffe-id " + c.spiffeId().get() + " is not of this CA's trust domain " + own.get());
            }
        }
        KeyPair keys = CertificateBuilder.newKeyPair();
        X509Certificate leaf = CertificateBuilder.leaf(request, keys.getPublic(), certificate, key, clock.instant());
        String kind = request instanceof LeafRequest.Server ? "server" : "client";
        String identity = request instanceof LeafRequest.Client c && c.spiffeId().isPresent()
                ? c.spiffeId().get().toString() : request.commonName();
        IssuedIndex.read(dir).with(new IssuedIndex.Entry(leaf.getSerialNumber(), kind, identity,
                leaf.getNotAfter().toInstant(), Optional.empty())).write(dir);
        return new Issued(leaf, keys.getPrivate(), certificate);
    }

    /** Revokes the certificate of this serial number (hex, colons allowed); returns it. */
    public List<BigInteger> revokeSerial(String hex) {
        BigInteger serial;
        try {
            serial = new BigInteger(hex.replace(":", ""), 16);
        } catch (NumberFormatException e) {
            throw new PkiException("--serial '" + hex + "' is not a hexadecimal number");
        }
        return revoke(e -> e.serial().equals(serial), "serial " + hex);
    }

    /** Revokes every unrevoked certificate of an identity (a client's name or SPIFFE ID, a server's first name). */
    public List<BigInteger> revokeIdentity(String identity) {
        return revoke(e -> e.identity().equals(identity), "identity " + identity);
    }

    private List<BigInteger> revoke(java.util.function.Predicate<IssuedIndex.Entry> which, String what) {
        IssuedIndex index = IssuedIndex.read(dir);
        List<BigInteger> matching = index.entries().stream().filter(e -> e.revokedAt().isEmpty()).filter(which)
                .map(IssuedIndex.Entry::serial).toList();
        if (matching.isEmpty()) {
            throw new PkiException("no unrevoked certificate of this CA has the " + what
                    + " (see " + dir.resolve(IssuedIndex.FILE) + ")");
        }
        Instant now = clock.instant();
        for (BigInteger s : matching) {
            index = index.revoked(s, now);
        }
        index.write(dir);
        writeCrl(index);
        return matching;
    }

    /** Writes the CRL again (a fresh next-update) from the record of revocations. */
    public void refreshCrl() {
        writeCrl(IssuedIndex.read(dir));
    }

    private void writeCrl(IssuedIndex index) {
        OwnerOnlyFiles.writePublic(dir.resolve(CRL), Pem.write(RevocationList.sign(certificate, key, index, clock.instant())));
        OwnerOnlyFiles.writePublic(dir.resolve(BUNDLE), TrustBundle.jwks(certificate, clock.millis() / 1000));
    }

    /** A leaf with its key and the CA that signed it. */
    public record Issued(X509Certificate certificate, PrivateKey key, X509Certificate ca) {
        @Override
        public String toString() {
            return "Issued[" + certificate.getSubjectX500Principal() + "]"; // never the key
        }

        /** Writes {@code PREFIX.pem} (the certificate) and {@code PREFIX-key.pem} (0600). */
        public List<Path> writeTo(String prefix) {
            Path cert = Path.of(prefix + ".pem");
            Path keyFile = Path.of(prefix + "-key.pem");
            OwnerOnlyFiles.writeSecret(keyFile, Pem.write(key));
            OwnerOnlyFiles.writePublic(cert, Pem.write(certificate));
            return List.of(cert, keyFile);
        }

        /** Writes {@code ca.pem}, {@code cert.pem} and {@code key.pem} (0600), as the docker CLI's DOCKER_CERT_PATH holds them. */
        public List<Path> writeDockerContext(Path dir) {
            OwnerOnlyFiles.writeSecret(dir.resolve("key.pem"), Pem.write(key));
            OwnerOnlyFiles.writePublic(dir.resolve("cert.pem"), Pem.write(certificate));
            OwnerOnlyFiles.writePublic(dir.resolve("ca.pem"), Pem.write(ca));
            return List.of(dir.resolve("ca.pem"), dir.resolve("cert.pem"), dir.resolve("key.pem"));
        }
    }
}
