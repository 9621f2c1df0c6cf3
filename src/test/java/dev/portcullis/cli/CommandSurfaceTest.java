package dev.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.portcullis.testbed.DocCommands;
import dev.portcullis.testbed.Launcher;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * What a user is told about the commands agrees with the command line itself: {@code --help} and the
 * completion script of every command carry its options and sub-commands, every command is shown in
 * README.md or docs/, and every documented command line parses (its commands and options exist).
 * The man pages are held to the same tree by {@link ManPagesTest}.
 */
class CommandSurfaceTest {
    private static List<CommandSpec> commands() {
        return ManPages.commands(Main.commandLine().getCommandSpec());
    }

    private static String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = Main.execute(Main.commandLine(), args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertThat(exit).as(String.join(" ", args)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    private static List<String> path(CommandSpec spec) {
        List<String> words = new ArrayList<>(Arrays.asList(spec.qualifiedName().split(" ")));
        words.removeFirst();   // "portcullis"
        return words;
    }

    private static boolean hasWord(String text, String word) {
        return Pattern.compile("(?<![\\w-])" + Pattern.quote(word) + "(?![\\w-])").matcher(text).find();
    }

    @TestFactory
    Stream<DynamicTest> helpAndCompletion_ofEachCommand_carryItsOptionsAndSubcommands() {
        String completion = run("completion", "bash");
        return commands().stream().map(spec -> DynamicTest.dynamicTest(spec.qualifiedName(), () -> {
            List<String> args = new ArrayList<>(path(spec));
            args.add("--help");
            String help = run(args.toArray(String[]::new));
            assertThat(help).startsWith("Usage: " + spec.qualifiedName());
            List<String> words = new ArrayList<>(spec.subcommands().keySet());
            spec.options().forEach(o -> words.addAll(List.of(o.names())));
            for (String w : words) {
                assertThat(hasWord(help, w)).as("--help of %s shows %s", spec.qualifiedName(), w).isTrue();
                assertThat(hasWord(completion, w)).as("the completion script offers %s", w).isTrue();
            }
            // The script's function for this command offers exactly its options.
            String function = completion.substring(completion.indexOf("function _picocli_" + spec.qualifiedName("_").replace("-", "") + "()"));
            function = function.substring(0, function.indexOf("\n}"));
            for (OptionSpec o : spec.options()) {
                for (String n : o.names()) {
                    assertThat(hasWord(function, n)).as("completion of %s offers %s", spec.qualifiedName(), n).isTrue();
                }
            }
        }));
    }

    @Test
    void documentation_showsEveryCommandThatDoesAJob() throws IOException {
        List<String> documented = DocCommands.ofProject(Launcher.projectRoot()).stream()
                .map(c -> " " + c.text().replaceFirst("^(\\./)?portcullis", "").strip() + " ").toList();
        Set<String> missing = commands().stream().filter(spec -> spec.subcommands().isEmpty())
                .map(spec -> String.join(" ", path(spec)))
                .filter(p -> documented.stream().noneMatch(d -> d.startsWith(" " + p + " ")))
                .collect(Collectors.toCollection(java.util.TreeSet::new));
        assertThat(missing).as("commands no README.md or docs/ line shows").isEmpty();
    }

    @TestFactory
    Stream<DynamicTest> documentedCommandLine_parsedByTheCommandLine_namesCommandsAndOptionsThatExist() throws IOException {
        return DocCommands.ofProject(Launcher.projectRoot()).stream().map(doc -> DynamicTest.dynamicTest(doc.toString(), () -> {
            List<String> words = words(doc.text());
            assertThatCode(() -> Main.commandLine().parseArgs(words.subList(1, words.size()).toArray(String[]::new)))
                    .as(doc.toString()).doesNotThrowAnyException();
        }));
    }

    // The shell's words of a documented line up to a redirection or pipe, single and double quotes removed.
    private static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        char quote = 0;
        boolean inWord = false;
        for (char c : line.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    w.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == ' ') {
                if (inWord) {
                    words.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
            } else if ((c == '<' || c == '>' || c == '|') && !inWord) {
                return words;
            } else {
                w.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(w.toString());
        }
        return words;
    }
}
