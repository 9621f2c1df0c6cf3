package dev.portcullis.registryauth;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.bouncycastle.crypto.ExtendedDigest;
import org.bouncycastle.util.Memoable;

/**
 * SHA-256 for Bouncy Castle's ECDSA and RFC 6979 nonce code, computed by the JDK: its SHA-256 runs on
 * the processor's SHA instructions, Bouncy Castle's in plain Java, and hashing the token (its header
 * carries the certificate) and the nonce's HMACs was a tenth of the cost of signing one.
 */
final class JdkSha256Digest implements ExtendedDigest, Memoable {
    private static final MessageDigest PROTOTYPE;

    static {
        try {
            PROTOTYPE = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private MessageDigest md;

    JdkSha256Digest() {
        this.md = copyOf(PROTOTYPE);
    }

    private JdkSha256Digest(MessageDigest md) {
        this.md = md;
    }

    /** The SHA-256 of {@code data}, without Bouncy Castle's interfaces. */
    static byte[] digest(byte[] data) {
        return copyOf(PROTOTYPE).digest(data);
    }

    @Override
    public String getAlgorithmName() {
        return "SHA-256";
    }

    @Override
    public int getDigestSize() {
        return 32;
    }

    @Override
    public int getByteLength() {
        return 64;
    }

    @Override
    public void update(byte in) {
        md.update(in);
    }

    @Override
    public void update(byte[] in, int inOff, int len) {
        md.update(in, inOff, len);
    }

    @Override
    public int doFinal(byte[] out, int outOff) {
        try {
            return md.digest(out, outOff, 32);
        } catch (DigestException e) {
            throw new IllegalArgumentException("no room for a SHA-256 digest at " + outOff, e);
        }
    }

    @Override
    public void reset() {
        md.reset();
    }

    // Memoable lets Bouncy Castle's HMAC keep the state after its inner and outer pads instead of
    // hashing them again for every MAC of the nonce derivation.
    @Override
    public Memoable copy() {
        return new JdkSha256Digest(copyOf(md));
    }

    @Override
    public void reset(Memoable other) {
        if (!(other instanceof JdkSha256Digest d)) {
            throw new IllegalArgumentException("not a JdkSha256Digest: " + other.getClass().getName());
        }
        this.md = copyOf(d.md);
    }

    private static MessageDigest copyOf(MessageDigest m) {
        try {
            return (MessageDigest) m.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 cannot be cloned", e);
        }
    }
}
