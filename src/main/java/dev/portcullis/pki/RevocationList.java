package dev.portcullis.pki;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A CA's CRL: signed from its record of revocations, and read back (signature checked) by a server. */
public final class RevocationList {
    private final X509CRL crl;

    private RevocationList(X509CRL crl) {
        this.crl = crl;
    }

    static X509CRL sign(X509Certificate ca, PrivateKey key, IssuedIndex index, Instant now) {
        try {
            X509v2CRLBuilder b = new JcaX509v2CRLBuilder(ca, Date.from(now));
            b.setNextUpdate(Date.from(now.plus(CertificateAuthority.CRL_VALIDITY)));
            for (IssuedIndex.Entry e : index.entries()) {
                e.revokedAt().ifPresent(at -> b.addCRLEntry(e.serial(), Date.from(at), CRLReason.unspecified));
            }
            // The CRL number grows with time: two CRLs of one CA are ordered without a counter file.
            b.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(now.toEpochMilli())));
            b.addExtension(Extension.authorityKeyIdentifier, false, new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca));
            return new JcaX509CRLConverter().getCRL(b.build(new JcaContentSignerBuilder(CertificateBuilder.SIGNATURE).build(key)));
        } catch (Exception e) {
            throw new PkiException("cannot sign the CRL: " + e.getMessage(), e);
        }
    }

    /** Reads a PEM CRL and checks it is signed by one of {@code cas}; {@link PkiException} naming the file otherwise. */
    public static RevocationList read(Path file, List<X509Certificate> cas) {
        String text = Pem.read(file);
        X509CRL crl;
        try {
            crl = (X509CRL) CertificateFactory.getInstance("X.509")
                    .generateCRL(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new PkiException(file + ": not a readable PEM CRL: " + e.getMessage(), e);
        }
        for (X509Certificate ca : cas) {
            if (ca.getSubjectX500Principal().equals(crl.getIssuerX500Principal())) {
                try {
                    crl.verify(ca.getPublicKey());
                    return new RevocationList(crl);
                } catch (GeneralSecurityException e) {
                    // another CA of the same name; try the next
                }
            }
        }
        throw new PkiException(file + ": the CRL is not signed by the configured CA");
    }

    /** Whether the certificate is listed as revoked. */
    public boolean revokes(X509Certificate certificate) {
        return crl.getIssuerX500Principal().equals(certificate.getIssuerX500Principal())
                && crl.getRevokedCertificate(certificate.getSerialNumber()) != null;
    }

    /** When the CA promised a new CRL by; a server keeps enforcing an outdated one, and says so. */
    public Instant nextUpdate() {
        return crl.getNextUpdate() == null ? Instant.MAX : crl.getNextUpdate().toInstant();
    }

    /** How many certificates it lists. */
    public int size() {
        return crl.getRevokedCertificates() == null ? 0 : crl.getRevokedCertificates().size();
    }
}
