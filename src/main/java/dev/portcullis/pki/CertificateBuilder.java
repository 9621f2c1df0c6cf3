package dev.portcullis.pki;

import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Makes the CA's own certificate and the leaves it signs, with the extensions each kind must carry. */
final class CertificateBuilder {
    static final String SIGNATURE = "SHA256withECDSA";
    private static final SecureRandom RANDOM = new SecureRandom();

    private CertificateBuilder() {}

    /** A fresh ECDSA P-256 key pair. */
    static KeyPair newKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new PkiException("cannot make an ECDSA P-256 key: " + e.getMessage(), e);
        }
    }

    /** A random positive 128-bit serial number: unguessable, and unique without a counter to keep. */
    static BigInteger newSerial() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        b[0] &= 0x7f;
        b[0] |= 0x01; // never zero, never a leading zero byte: 16 bytes of DER, as openssl prints it
        return new BigInteger(1, b);
    }

    static X500Name commonName(String cn) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, cn).build();
    }

    static X509Certificate selfSignedCa(KeyPair keys, CaOptions options, Instant now) {
        X500Name subject = commonName(options.name());
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, newSerial(), Date.from(now.minusSeconds(60)),
                    Date.from(now.plus(options.validity())), subject, keys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0)); // signs leaves only
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
            b.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()));
            options.trustDomain().ifPresent(d -> addUnchecked(b, Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, "spiffe://" + d))));
            if (options.constrained()) {
                List<GeneralSubtree> permitted = new ArrayList<>();
                options.permittedDns().forEach(d -> permitted.add(new GeneralSubtree(new GeneralName(GeneralName.dNSName, d))));
                options.permittedIps().forEach(c -> permitted.add(new GeneralSubtree(
                        new GeneralName(GeneralName.iPAddress, new DEROctetString(Cidr.parse(c).addressAndMask())))));
                options.trustDomain().ifPresent(d -> permitted.add(new GeneralSubtree(
                        new GeneralName(GeneralName.uniformResourceIdentifier, d))));
                b.addExtension(Extension.nameConstraints, true,
                        new NameConstraints(permitted.toArray(GeneralSubtree[]::new), null));
            }
            return sign(b, keys.getPrivate());
        } catch (GeneralSecurityException | CertIOException e) {
            throw new PkiException("cannot make the CA certificate: " + e.getMessage(), e);
        }
    }

    static X509Certificate leaf(LeafRequest request, PublicKey key, X509Certificate ca, PrivateKey caKey, Instant now) {
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            Instant notAfter = now.plus(request.validity());
            if (notAfter.isAfter(ca.getNotAfter().toInstant())) {
                notAfter = ca.getNotAfter().toInstant(); // a leaf outliving its CA would only fail later, less clearly
            }
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca, newSerial(), Date.from(now.minusSeconds(60)),
                    Date.from(notAfter), commonName(request.commonName()), key);
            // X.509-SVID: cA false, key usage critical with digitalSignature only, both TLS purposes.
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(key));
            b.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(ca));
            List<GeneralName> names = new ArrayList<>();
            switch (request) {
                case LeafRequest.Server s -> {
                    b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
                    s.dnsNames().forEach(d -> names.add(new GeneralName(GeneralName.dNSName, d)));
                    for (InetAddress ip : s.ipAddresses()) {
                        names.add(new GeneralName(GeneralName.iPAddress, new DEROctetString(ip.getAddress())));
                    }
                }
                case LeafRequest.Client c -> {
                    b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(c.spiffeId().isPresent()
                            ? new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}
                            : new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth}));
                    // Exactly one URI SAN, the SPIFFE ID, and no other name: the SVID's identity is unambiguous.
                    c.spiffeId().ifPresent(id -> names.add(new GeneralName(GeneralName.uniformResourceIdentifier, id.toString())));
                }
            }
            if (!names.isEmpty()) {
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
            }
            return sign(b, caKey);
        } catch (GeneralSecurityException | CertIOException e) {
            throw new PkiException("cannot sign the certificate: " + e.getMessage(), e);
        }
    }

    private static void addUnchecked(X509v3CertificateBuilder b, org.bouncycastle.asn1.ASN1ObjectIdentifier oid, boolean critical,
                                     org.bouncycastle.asn1.ASN1Encodable value) {
        try {
            b.addExtension(oid, critical, value);
        } catch (CertIOException e) {
            throw new PkiException("cannot encode " + oid + ": " + e.getMessage(), e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(SIGNATURE).build(key)));
        } catch (OperatorCreationException e) {
            throw new PkiException("cannot sign with the CA key: " + e.getMessage(), e);
        }
    }
}
