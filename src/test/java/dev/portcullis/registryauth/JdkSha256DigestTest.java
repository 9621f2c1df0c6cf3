package dev.portcullis.registryauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JdkSha256DigestTest {

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 55, 56, 63, 64, 65, 1000, 4097})
    void doFinal_anyLength_sameAsBouncyCastlesSha256(int length) {
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++) {
            data[i] = (byte) (i * 31 + 7);
        }
        assertThat(hash(new JdkSha256Digest(), data)).isEqualTo(hash(new SHA256Digest(), data));
        assertThat(JdkSha256Digest.digest(data)).isEqualTo(hash(new SHA256Digest(), data));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "sample", "a message longer than one block of sixty-four bytes, so that it spans two"})
    void hmac_manyMacsWithOneKey_sameAsBouncyCastlesSha256(String message) {
        // HMac keeps the digest's state after the pads (copy and reset of Memoable) and reuses it per MAC.
        byte[] key = "a key that is thirty-two bytes!!".getBytes(StandardCharsets.US_ASCII);
        HMac ours = new HMac(new JdkSha256Digest());
        HMac theirs = new HMac(new SHA256Digest());
        ours.init(new KeyParameter(key));
        theirs.init(new KeyParameter(key));
        for (int round = 0; round < 3; round++) {
            byte[] m = (message + round).getBytes(StandardCharsets.US_ASCII);
            assertThat(mac(ours, m)).as("round %d", round).isEqualTo(mac(theirs, m));
        }
    }

    private static byte[] hash(org.bouncycastle.crypto.Digest d, byte[] data) {
        d.update(data, 0, data.length);
        byte[] out = new byte[32];
        d.doFinal(out, 0);
        return out;
    }

    private static byte[] mac(HMac h, byte[] m) {
        h.update(m, 0, m.length);
        byte[] out = new byte[32];
        h.doFinal(out, 0);
        return out;
    }
}
