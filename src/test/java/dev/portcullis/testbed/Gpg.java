package dev.portcullis.testbed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/** gpg with a home directory of the test's and one new key without a passphrase; close stops its agent. */
public final class Gpg implements AutoCloseable {
    private final Path home;
    private final String email;

    private Gpg(Path home, String email) {
        this.home = home;
        this.email = email;
    }

    /** Makes the key {@code "CI <email>"} in {@code home} (an empty directory). */
    public static Gpg withNewKey(Path home, String email) throws IOException {
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        Gpg g = new Gpg(home, email);
        g.run("--batch", "--passphrase", "", "--quick-gen-key", "CI <" + email + ">", "default", "default", "never");
        return g;
    }

    /** Runs gpg with this home; insists on exit 0 and returns its output. */
    public String run(String... args) {
        List<String> cmd = new ArrayList<>(List.of("gpg", "--homedir", home.toString()));
        cmd.addAll(List.of(args));
        return Processes.ok(home, cmd.toArray(String[]::new));
    }

    public String armoredPublicKey() {
        return run("--armor", "--export", email);
    }

    public String armoredSecretKey() {
        return run("--batch", "--pinentry-mode", "loopback", "--passphrase", "", "--armor", "--export-secret-keys", email);
    }

    @Override
    public void close() {
        Processes.run(home, "gpgconf", "--homedir", home.toString(), "--kill", "gpg-agent");
    }
}
