package dev.portcullis.pki;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A TLS server's certificate chain and key, and the CAs its clients' certificates must chain to,
 * read from PEM files in one go and checked to belong together (the key signs what the leaf's public
 * key verifies), so that a pair caught half-rewritten is refused rather than served.
 *
 * @param version SHA-256 over the three files' bytes: a reload that reads the same bytes changes nothing
 */
public record ServerKeyMaterial(List<X509Certificate> chain, PrivateKey key, List<X509Certificate> clientCas, String version) {
    public ServerKeyMaterial {
        chain = List.copyOf(chain);
        clientCas = List.copyOf(clientCas);
        if (chain.isEmpty()) {
            throw new PemException("no certificate", null);
        }
    }

    /** The files this material is read from; {@code clientCa} absent when clients present no certificate. */
    public record Files(Path certificate, Path key, Optional<Path> clientCa) {}

    /** Reads and checks the files; {@link PemException} naming the file and what is wrong with it. */
    public static ServerKeyMaterial read(Files files) {
        return parse(files, Texts.read(files));
    }

    /** The files' text as read at one moment, and its {@link #version}. */
    record Texts(String certificate, String key, String clientCa, String version) {
        static Texts read(Files files) {
            String cert = Pem.read(files.certificate());
            String key = Pem.read(files.key());
            String ca = files.clientCa().map(Pem::read).orElse("");
            return new Texts(cert, key, ca, ServerKeyMaterial.version(cert, key, ca));
        }

        @Override
        public String toString() {
            return "Texts[version=" + version + "]"; // never the key
        }
    }

    static ServerKeyMaterial parse(Files files, Texts texts) {
        List<X509Certificate> chain = Pem.readCertificates(texts.certificate(), files.certificate().toString());
        PrivateKey key = Pem.readPrivateKey(texts.key(), files.key().toString());
        List<X509Certificate> cas = files.clientCa().isPresent()
                ? Pem.readCertificates(texts.clientCa(), files.clientCa().get().toString()) : List.of();
        if (!belongTogether(key, chain.get(0))) {
            throw new PemException(files.key() + ": is not the key of the certificate in " + files.certificate()
                    + " (one of the two is being rewritten, or they are of different pairs)", null);
        }
        return new ServerKeyMaterial(chain, key, cas, texts.version());
    }

    /** The leaf's serial number in hex, as {@code openssl x509 -serial} prints it. */
    public String serial() {
        return chain.get(0).getSerialNumber().toString(16).toUpperCase(java.util.Locale.ROOT);
    }

    @Override
    public String toString() {
        // Never the key.
        return "ServerKeyMaterial[subject=" + chain.get(0).getSubjectX500Principal() + ", serial=" + serial()
                + ", notAfter=" + chain.get(0).getNotAfter().toInstant() + "]";
    }

    private static boolean belongTogether(PrivateKey key, X509Certificate leaf) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            case "Ed448" -> "Ed448";
            default -> throw new PemException("a private key of type " + key.getAlgorithm()
                    + " cannot serve TLS here: give an RSA, EC or Ed25519 key", null);
        };
        try {
            byte[] probe = new byte[32];
            new SecureRandom().nextBytes(probe);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(leaf.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // a key of another type than the certificate's
        }
    }

    private static String version(String... texts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String t : texts) {
                byte[] b = t.getBytes(StandardCharsets.UTF_8);
                sha.update(java.nio.ByteBuffer.allocate(4).putInt(b.length).array());
                sha.update(b);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
