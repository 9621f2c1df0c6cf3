package dev.portcullis.attest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.image.Digest;
import dev.portcullis.pki.Pem;
import dev.portcullis.store.Database;
import dev.portcullis.store.StoreSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded H2 file stays near the size of what it holds while the server runs, not ten times it. */
class AttestationStoreDiskTest {
    private static final int COUNT = 10_000;

    @TempDir
    Path dir;

    @Test
    void ingestAll_tenThousandInBatchesOfAThousand_fileUnder2750BytesEachWhileOpen() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = g.generateKeyPair();
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(kp.getPrivate());
        Path file = dir.resolve("portcullis.mv.db");
        try (Database db = Database.open(StoreSettings.embedded(dir))) {
            AttestationStore store = new AttestationStore(db, Clock.systemUTC());
            store.addAttestor("ci", "");
            String keyId = store.addKey("ci", Pem.write(kp.getPublic()), Optional.of(PkixAlgorithm.ECDSA_P256_SHA256), Optional.empty());
            for (int batch = 0; batch < COUNT / 1000; batch++) {
                List<Occurrence> occurrences = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    Digest d = digest(batch * 1000 + i);
                    byte[] payload = SignaturePayload.forArtifact("gcr.io/p/app", d);
                    s.update(payload);
                    occurrences.add(new Occurrence("gcr.io/p/app@" + d, "ci", payload, List.of(new Occurrence.Signature(keyId, s.sign())), null));
                }
                store.ingestAll(occurrences);
            }
            // About 2,480 - 2,530 here: the narrow entries the start reads (33 bytes each) on top of the
            // attestations, and H2's replaced pages, which vary by a few tens of bytes between runs.
            // (12,740 before the store stopped keeping replaced pages and rewriting an unread index.)
            assertThat(Files.size(file) / COUNT).isLessThan(2_750);
        }
        try (Database db = Database.open(StoreSettings.embedded(dir))) {
            AttestationStore reopened = new AttestationStore(db, Clock.systemUTC());
            assertThat(reopened.index().size()).isEqualTo(COUNT);
            assertThat(reopened.index().lookup("ci", digest(COUNT - 1), Instant.MIN).valid()).isEqualTo(1);
        }
    }

    private static Digest digest(int i) {
        return Digest.sha256(("image " + i).getBytes(StandardCharsets.UTF_8));
    }
}
