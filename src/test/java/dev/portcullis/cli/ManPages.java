package dev.portcullis.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Build-time main (exec-maven-plugin, before the tests): writes the AsciiDoc man page of every command
 * and sub-command of {@link Main#commandLine()} into the directory given, one file each, named by the
 * command's path ({@code portcullis-attestors-create.adoc}). It lives with the tests so that its
 * generator (picocli-codegen) stays out of the jar.
 */
public final class ManPages {
    private ManPages() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: ManPages OUTPUT_DIRECTORY");
        }
        Path out = Files.createDirectories(Path.of(args[0]));
        try (Stream<Path> old = Files.list(out)) {   // a page of a command that is gone must not linger
            for (Path p : old.filter(p -> p.getFileName().toString().endsWith(".adoc")).toList()) {
                Files.delete(p);
            }
        }
        CommandLine cl = Main.commandLine();
        // The page's footer is the spec's; serve --help renders its variables lazily, beside it.
        CommandSpec serve = cl.getSubcommands().get("serve").getCommandSpec();
        List<String> footer = new ArrayList<>(List.of(serve.usageMessage().footer()));
        footer.addAll(Main.settingVariableLines().stream().map(String::strip).toList());
        serve.usageMessage().footer(footer.toArray(String[]::new));
        for (CommandSpec c : commands(cl.getCommandSpec())) {   // each page says which release it documents
            if (c.version().length == 0) {
                c.version(cl.getCommandSpec().version());
            }
        }
        int rc = ManPageGenerator.generateManPage(out.toFile(), null, new boolean[0], true, cl.getCommandSpec());
        if (rc != 0) {
            throw new IOException("the man page generator exited " + rc);
        }
    }

    /** Every command of the tree, depth first: the root, then each sub-command's own tree. */
    static List<CommandSpec> commands(CommandSpec root) {
        List<CommandSpec> all = new ArrayList<>();
        all.add(root);
        root.subcommands().values().stream().distinct().forEach(sub -> all.addAll(commands(sub.getCommandSpec())));
        return all;
    }

    /** The page's file name for a command: its path, joined with '-'. */
    static String fileName(CommandSpec spec) {
        return spec.qualifiedName("-") + ".adoc";
    }
}
