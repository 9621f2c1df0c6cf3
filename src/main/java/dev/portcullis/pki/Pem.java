package dev.portcullis.pki;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/** Reads and writes PEM certificates and keys (PKCS#1, PKCS#8, SEC1), with errors that name the file. */
public final class Pem {
    private Pem() {}

    /** Every certificate in the file, in order (leaf first for a chain). */
    public static List<X509Certificate> readCertificates(Path file) {
        return readCertificates(read(file), file.toString());
    }

    public static List<X509Certificate> readCertificates(String pem, String source) {
        List<X509Certificate> out = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object o;
            while ((o = parser.readObject()) != null) {
                if (o instanceof X509CertificateHolder holder) {
                    out.add(converter.getCertificate(holder));
                }
            }
        } catch (IOException | CertificateException | RuntimeException e) {
            throw new PemException(source + ": not a readable PEM certificate: " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new PemException(source + ": holds no PEM certificate", null);
        }
        return List.copyOf(out);
    }

    /** The first private key in the file. Encrypted keys are refused with a message saying so. */
    public static PrivateKey readPrivateKey(Path file) {
        return readPrivateKey(read(file), file.toString());
    }

    public static PrivateKey readPrivateKey(String pem, String source) {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object o;
            while ((o = parser.readObject()) != null) {
                if (o instanceof PEMKeyPair pair) {
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (o instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (o.getClass().getSimpleName().contains("Encrypted")) {
                    throw new PemException(source + ": the private key is encrypted; give an unencrypted key", null);
                }
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof PemException pe) {
                throw pe;
            }
            throw new PemException(source + ": not a readable PEM private key: " + e.getMessage(), e);
        }
        throw new PemException(source + ": holds no PEM private key", null);
    }

    /** The first public key in the text (SubjectPublicKeyInfo, or the key of a certificate). */
    public static PublicKey readPublicKey(String pem, String source) {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object o;
            while ((o = parser.readObject()) != null) {
                if (o instanceof SubjectPublicKeyInfo info) {
                    return converter.getPublicKey(info);
                }
                if (o instanceof X509CertificateHolder holder) {
                    return new JcaX509CertificateConverter().getCertificate(holder).getPublicKey();
                }
                if (o instanceof PEMKeyPair pair) {
                    return converter.getPublicKey(pair.getPublicKeyInfo());
                }
            }
        } catch (IOException | CertificateException | RuntimeException e) {
            throw new PemException(source + ": not a readable PEM public key: " + e.getMessage(), e);
        }
        throw new PemException(source + ": holds no PEM public key", null);
    }

    /** The PEM text of a certificate, a key or a key pair's private key. */
    public static String write(Object object) {
        Object toWrite = object instanceof KeyPair kp ? kp.getPrivate() : object;
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            if (toWrite instanceof PrivateKey key) {
                // PKCS#8 carries the curve with an EC key; openssl, Go and the JDK all read it.
                writer.writeObject(new JcaPKCS8Generator(key, null));
            } else {
                writer.writeObject(toWrite);
            }
        } catch (IOException e) {
            throw new PemException("cannot encode PEM: " + e.getMessage(), e);
        }
        return out.toString();
    }

    static String read(Path file) {
        try {
            if (Files.size(file) > 1024 * 1024) {
                throw new PemException(file + ": larger than 1 MiB, not a PEM file", null);
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PemException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

}
