package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.config.ConfigDocument;
import dev.portcullis.testbed.Images;
import dev.portcullis.testbed.Processes;
import dev.portcullis.testbed.Registry;
import dev.portcullis.testbed.RequiresTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real registry behind {@code serve}, skopeo pulling as an account whose ACL entry needs the
 * client's address in an inventory set: refused while the set lacks it, pulled within one refresh of
 * its adding, refused again within one refresh of its removal.
 */
@RequiresTools({"docker-registry", "skopeo", "umoci", "busybox"})
@Tag("e2e")
class InventoryRegistryE2ETest {
    private static final String SERVICE = "registry.local";
    private static final String ISSUER = "inventory-e2e";

    @TempDir
    Path dir;

    @Test
    void pull_hostAddedThenRemoved_pullsThenIsRefused() throws Exception {
        Path hosts = Files.writeString(dir.resolve("hosts.txt"), "10.9.9.9\n");
        String alice = OpenBSDBCrypt.generate("2y", "secret".toCharArray(), new byte[16], 4);
        String ci = OpenBSDBCrypt.generate("2y", "ci-pw".toCharArray(), new byte[16], 4);
        String yaml = """
                server: {addr: "127.0.0.1:0"}
                data_dir: "%s"
                token: {issuer: %s, expiration: 900}
                users:
                  alice: {password: "%s"}
                  ci: {password: "%s"}
                inventory:
                  sets:
                    - {name: build-hosts, file: "%s", every: 100ms, max_age: 1h}
                acl:
                  - match: {account: alice}
                    actions: ["*"]
                  - match: {account: ci, ip: "@inventory:build-hosts"}
                    actions: [pull]
                """.formatted(dir.resolve("data"), ISSUER, alice, ci, hosts);
        try (Application app = Application.start(ConfigDocument.parse(yaml, "auth.yml", Map.of()), Clock.systemUTC());
             Registry registry = Registry.start(Files.createDirectories(dir.resolve("registry")), "http://127.0.0.1:" + app.port()
                     + "/auth", SERVICE, ISSUER, dir.resolve("data").resolve("token.crt"), null)) {
            String image = Images.busyboxLayout(Files.createDirectories(dir.resolve("img")));
            Processes.Result pushed = Processes.run(dir, "skopeo", "copy", "--dest-tls-verify=false", "--dest-creds", "alice:secret",
                    image, "docker://" + registry.host() + "/team/app");
            assertThat(pushed.exitCode()).as(pushed.output()).isZero();

            assertThat(pull(registry).exitCode()).isNotZero();

            write(hosts, "10.9.9.9\n127.0.0.1\n", 5);
            assertThat(pullWithin(registry, true).exitCode()).isZero();

            write(hosts, "10.9.9.9\n", 10);
            Processes.Result refused = pullWithin(registry, false);
            assertThat(refused.exitCode()).isNotZero();
            assertThat(refused.output()).containsIgnoringCase("unauthorized");
        }
    }

    private Processes.Result pull(Registry registry) {
        return Processes.run(dir, "skopeo", "copy", "--src-tls-verify=false", "--src-creds", "ci:ci-pw",
                "docker://" + registry.host() + "/team/app", "oci:" + dir.resolve("pulled-" + System.nanoTime()) + ":x");
    }

    // A refresh is every 100 ms: the outcome wanted comes within a few, or the last try says why not.
    private Processes.Result pullWithin(Registry registry, boolean succeed) throws InterruptedException {
        Processes.Result r = pull(registry);
        for (int i = 0; i < 20 && (r.exitCode() == 0) != succeed; i++) {
            Thread.sleep(250);
            r = pull(registry);
        }
        return r;
    }

    private static void write(Path file, String content, int secondsAhead) throws Exception {
        Files.writeString(file, content);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(secondsAhead)));
    }
}
