package dev.portcullis.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code portcullis hash-password}: a bcrypt hash for the {@code users} section, replacing {@code htpasswd -nB}. */
@Command(name = "hash-password", mixinStandardHelpOptions = true,
        description = "Reads a password (from the terminal, or one line of standard input) and prints its bcrypt hash.")
final class HashPasswordCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--cost", defaultValue = "10", description = "bcrypt cost, 4 to 31 (default ${DEFAULT-VALUE}).")
    int cost;

    @Override
    public Integer call() throws IOException {
        if (cost < 4 || cost > 31) {
            spec.commandLine().getErr().println("portcullis hash-password: --cost must be between 4 and 31");
            return 2;
        }
        char[] password;
        Console console = System.console();
        if (console != null) {
            password = console.readPassword("Password: ");
        } else {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            password = line == null ? null : line.toCharArray();
        }
        if (password == null || password.length == 0) {
            spec.commandLine().getErr().println("portcullis hash-password: no password given");
            return 2;
        }
        if (new String(password).getBytes(StandardCharsets.UTF_8).length > 72) {
            spec.commandLine().getErr().println("portcullis hash-password: bcrypt uses at most 72 bytes of a password");
            return 2;
        }
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        spec.commandLine().getOut().println(OpenBSDBCrypt.generate("2y", password, salt, cost));
        java.util.Arrays.fill(password, '\0');
        return 0;
    }
}
