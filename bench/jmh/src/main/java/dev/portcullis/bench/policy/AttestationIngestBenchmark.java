package dev.portcullis.bench.policy;

import dev.portcullis.attest.AttestationStore;
import dev.portcullis.attest.Occurrence;
import dev.portcullis.attest.PkixAlgorithm;
import dev.portcullis.attest.SignaturePayload;
import dev.portcullis.attest.Ingested;
import dev.portcullis.image.Digest;
import dev.portcullis.pki.Pem;
import dev.portcullis.store.Database;
import dev.portcullis.store.StoreSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Ingest: an ECDSA P-256 signed attestation verified, written to the embedded H2 file store and
 * indexed, per operation, one at a time and 100 a transaction. Signatures are made in the setup, so only
 * ingest is measured. Goal: 2,000/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AttestationIngestBenchmark {
    private static final int PREPARED = 20_000;
    private static final int BATCH = 100;
    private Database db;
    private AttestationStore store;
    private Occurrence[] occurrences;
    private final AtomicInteger next = new AtomicInteger();

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        db = Database.open(StoreSettings.embedded(Files.createTempDirectory("ingest-bench")));
        store = new AttestationStore(db, Clock.systemUTC());
        store.addAttestor("projects/p/attestors/ci", "bench");
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = g.generateKeyPair();
        String keyId = store.addKey("projects/p/attestors/ci", Pem.write(kp.getPublic()), Optional.of(PkixAlgorithm.ECDSA_P256_SHA256),
                Optional.empty());
        occurrences = new Occurrence[PREPARED];
        Signature s = Signature.getInstance("SHA256withECDSA");
        for (int i = 0; i < PREPARED; i++) {
            Digest d = Digest.sha256(("image-" + i).getBytes(StandardCharsets.UTF_8));
            byte[] payload = SignaturePayload.forArtifact("gcr.io/p/app", d);
            s.initSign(kp.getPrivate());
            s.update(payload);
            occurrences[i] = new Occurrence("gcr.io/p/app@" + d, "projects/p/attestors/ci", payload,
                    List.of(new Occurrence.Signature(keyId, s.sign())), null);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        db.close();
    }

    /** The same attestations through the batch API, 100 a transaction; the score is attestations a second. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public List<Ingested> ingestBatch() {
        int from = Math.floorMod(next.getAndAdd(BATCH), PREPARED - BATCH);
        return store.ingestAll(Arrays.asList(occurrences).subList(from, from + BATCH));
    }

    @Benchmark
    public Ingested ingest() {
        return store.ingest(occurrences[Math.floorMod(next.getAndIncrement(), PREPARED)]);
    }
}
