package dev.portcullis.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.testbed.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file set refreshed by hand: changes picked up, a failure keeps the last good snapshot until max_age, then fail closed. */
class ProviderTest {
    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private Provider provider(Path file) {
        Schedule schedule = new Schedule(Duration.ofSeconds(10), 0, Duration.ofMinutes(1), 0, Duration.ofMinutes(1));
        return new Provider(new InventorySet("hosts", "file", schedule.maxAge(), clock), new FileSource(file), schedule,
                executor, clock, new Random(1));
    }

    private static byte[] ip(String s) {
        return IpLiteral.bytes(s).orElseThrow();
    }

    @Test
    void refreshOnce_fileChanged_swapsTheNewMembersIn() throws Exception {
        Path file = Files.writeString(dir.resolve("hosts.txt"), "# build hosts\n10.0.0.1\n10.1.0.0/16 # pool\n");
        Provider p = provider(file);
        assertThat(p.set().contains(ip("10.0.0.1"))).isFalse();
        assertThat(p.status()).isEqualTo("not fetched yet");

        assertThat(p.refreshOnce()).isEqualTo(Duration.ofSeconds(10));
        assertThat(p.set().contains(ip("10.0.0.1"))).isTrue();
        assertThat(p.set().contains(ip("10.1.9.9"))).isTrue();
        assertThat(p.status()).isEqualTo("fresh: 2 entries, 0s old");

        Files.writeString(file, "10.0.0.2\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        p.refreshOnce();
        assertThat(p.set().contains(ip("10.0.0.1"))).isFalse();
        assertThat(p.set().contains(ip("10.0.0.2"))).isTrue();
    }

    @Test
    void refreshOnce_badLine_keepsTheLastGoodSnapshotUntilMaxAgeThenFailsClosed() throws Exception {
        Path file = Files.writeString(dir.resolve("hosts.txt"), "10.0.0.1\n");
        Provider p = provider(file);
        p.refreshOnce();
        Files.writeString(file, "10.0.0.1\nnot-an-address\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));

        clock.advance(Duration.ofSeconds(30));
        assertThat(p.refreshOnce()).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.set().contains(ip("10.0.0.1"))).isTrue();
        assertThat(p.status()).startsWith("stale: keeping 1 entries from 30s ago: ")
                .contains("hosts.txt line 2: 'not-an-address' is not an IP address");
        assertThat(p.stats().errors()).isEqualTo(1);
        assertThat(p.refreshOnce()).isEqualTo(Duration.ofSeconds(2));

        clock.advance(Duration.ofSeconds(31));
        assertThat(p.set().contains(ip("10.0.0.1"))).isFalse();
        assertThat(p.set().expired()).isTrue();
        assertThat(p.status()).startsWith("empty (fail closed): the last good snapshot (1 entries) is 61s old, over max_age 60s");

        Files.writeString(file, "10.0.0.1\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(10)));
        p.refreshOnce();
        assertThat(p.set().contains(ip("10.0.0.1"))).isTrue();
        assertThat(p.stats().failuresInRow()).isZero();
    }

    @Test
    void refreshOnce_fileUnchanged_keepsMembersAndRenewsTheirAge() throws Exception {
        Path file = Files.writeString(dir.resolve("hosts.txt"), "10.0.0.1\n");
        Provider p = provider(file);
        p.refreshOnce();
        clock.advance(Duration.ofSeconds(50));
        p.refreshOnce();
        clock.advance(Duration.ofSeconds(50));
        assertThat(p.set().contains(ip("10.0.0.1"))).isTrue();
        assertThat(p.age()).contains(Duration.ofSeconds(50));
    }

    @Test
    void refreshOnce_missingFile_saysSoAndHoldsNothing() {
        Provider p = provider(dir.resolve("absent.txt"));
        p.refreshOnce();
        assertThat(p.set().contains(ip("10.0.0.1"))).isFalse();
        assertThat(p.status()).isEqualTo("empty (fail closed): never fetched: " + dir.resolve("absent.txt") + " does not exist");
    }

    @Test
    void start_scheduledRefresh_fillsTheSetWithoutBeingAsked() throws Exception {
        Path file = Files.writeString(dir.resolve("hosts.txt"), "10.0.0.1\n");
        Provider p = provider(file);
        p.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!p.set().contains(ip("10.0.0.1")) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        p.stop();
        assertThat(p.set().contains(ip("10.0.0.1"))).isTrue();
    }
}
