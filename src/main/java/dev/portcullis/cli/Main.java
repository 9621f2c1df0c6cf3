package dev.portcullis.cli;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code portcullis} command: one sub-command per job. */
@Command(name = "portcullis", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "A self-hosted gate for container supply chains.",
        subcommands = {ServeCommand.class, HashPasswordCommand.class, LintCommand.class, AttestCommand.class,
                PolicyCommand.class, AttestorsCommand.class, AdmissionCommand.class, ImagesCommand.class,
                CompletionCommand.class, PkiCommand.class, EngineGuardCommand.class})
public final class Main {

    /** The version line: the build's version and commit, as {@code portcullis_build_info} names them. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {dev.portcullis.platform.BuildInfo.current().line()};
        }
    }

    public static void main(String[] args) {
        configureLogging();
        System.exit(execute(commandLine(), args, System.out, System.err));
    }

    /**
     * Runs a command line on these streams and flushes what it wrote before returning the exit code.
     * The writers are buffered and flush by themselves only on println: without this, what a command
     * wrote with print() was lost when main called System.exit. Every sub-command writes to these two.
     */
    static int execute(CommandLine cl, String[] args, PrintStream stdout, PrintStream stderr) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(stdout, stdout.charset()), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(stderr, stderr.charset()), true);
        cl.setOut(out); // picocli hands them down to every sub-command
        cl.setErr(err);
        try {
            return cl.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    // One line per record on stderr, and the libraries' start-up chatter kept to warnings.
    private static void configureLogging() {
        if (System.getProperty("java.util.logging.config.file") != null) {
            return;
        }
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$s %3$s: %5$s%6$s%n");
        for (String noisy : new String[] {"org.flywaydb", "com.zaxxer.hikari", "io.helidon"}) {
            Logger.getLogger(noisy).setLevel(Level.WARNING);
            QUIET.add(Logger.getLogger(noisy));
        }
    }

    // Loggers are weakly held by the LogManager: keep the configured ones alive.
    private static final java.util.List<Logger> QUIET = new java.util.ArrayList<>();

    /** The lines {@code serve --help} ends with: every setting's variable, indented (the man page lists them too). */
    static java.util.List<String> settingVariableLines() {
        return dev.portcullis.server.Application.settingVariables().stream().map(v -> "  " + v).toList();
    }

    /** The configured command line, shared by main and the tests. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        // serve --help lists the variables its settings answer to; computed only when the help is shown.
        CommandLine serve = cl.getSubcommands().get("serve");
        var footer = serve.getHelpSectionMap().get(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER);
        serve.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER, help -> footer.render(help)
                + String.join(System.lineSeparator(), settingVariableLines()) + System.lineSeparator());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("portcullis: " + e.getMessage());
            return 2;
        });
        return cl;
    }
}
