package dev.portcullis.registryauth;

import dev.portcullis.pki.Pem;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Where the token signing key comes from: the configured PEM files, or else a P-256 key and a
 * self-signed certificate generated on first start in the data directory and reused afterwards.
 */
public final class SigningKeys {
    /** The generated files, relative to the data directory. */
    public static final String GENERATED_KEY = "token.key";
    public static final String GENERATED_CERT = "token.crt";

    private SigningKeys() {}

    public static SigningKey load(TokenSettings settings, Path dataDir, Clock clock) {
        if (settings.certificate().isPresent()) {
            List<X509Certificate> chain = Pem.readCertificates(settings.certificate().get());
            PrivateKey key = Pem.readPrivateKey(settings.key().orElseThrow());
            return SigningKey.of(key, chain, settings.disableLegacyKeyId());
        }
        Path keyFile = dataDir.resolve(GENERATED_KEY);
        Path certFile = dataDir.resolve(GENERATED_CERT);
        if (!Files.exists(keyFile) || !Files.exists(certFile)) {
            generate(keyFile, certFile, settings.issuer(), clock);
        }
        return SigningKey.of(Pem.readPrivateKey(keyFile), Pem.readCertificates(certFile), settings.disableLegacyKeyId());
    }

    private static void generate(Path keyFile, Path certFile, String issuer, Clock clock) {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair pair = gen.generateKeyPair();
            Instant now = clock.instant();
            X500Name name = new X500Name("CN=" + issuer.replaceAll("[,=+<>#;\"\\\\]", "_") + " token signer");
            var builder = new JcaX509v3CertificateBuilder(name, new BigInteger(127, new SecureRandom()),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(3650))), name,
                    pair.getPublic());
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
            writeAtomically(keyFile, Pem.write(pair.getPrivate()), true);
            writeAtomically(certFile, Pem.write(cert), false);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot generate the token signing key: " + e.getMessage(), e);
        }
    }

    // Written beside the target and moved into place, so a crash never leaves half a key behind.
    private static void writeAtomically(Path target, String content, boolean secret) {
        try {
            Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            if (secret && Files.getFileStore(target.getParent()).supportsFileAttributeView("posix")) {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.writeString(tmp, content, StandardCharsets.US_ASCII);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }
}
