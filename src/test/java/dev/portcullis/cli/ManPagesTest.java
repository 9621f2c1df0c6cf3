package dev.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.testbed.Launcher;
import dev.portcullis.testbed.Processes;
import dev.portcullis.testbed.RequiresTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The man pages the build wrote (target/man, before the tests) against the command line itself: one
 * page for every command and sub-command of {@link Main#commandLine()}, none for a command that is not
 * there, each naming the command and carrying every option and argument it takes.
 */
class ManPagesTest {
    private static final Path MAN = Launcher.projectRoot().resolve("target/man");

    private static List<CommandSpec> commands() {
        return ManPages.commands(Main.commandLine().getCommandSpec());
    }

    @Test
    void manPages_afterTheBuild_oneForEveryCommandAndNoOther() throws IOException {
        Set<String> expected = commands().stream().map(ManPages::fileName).collect(Collectors.toSet());
        Set<String> written;
        try (Stream<Path> files = Files.list(MAN)) {
            written = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".adoc")).collect(Collectors.toSet());
        }
        assertThat(expected).contains("portcullis.adoc", "portcullis-attestors-public-keys-add.adoc");
        assertThat(written).isEqualTo(expected);
    }

    @TestFactory
    Stream<DynamicTest> manPage_ofEachCommand_namesItAndCarriesEveryOptionAndArgument() {
        return commands().stream().map(spec -> DynamicTest.dynamicTest(spec.qualifiedName(), () -> {
            String page = Files.readString(MAN.resolve(ManPages.fileName(spec)));
            assertThat(page).contains("= " + spec.qualifiedName("-") + "(1)", "*" + spec.qualifiedName() + "*",
                    "portcullis 0.1.0");
            for (OptionSpec o : spec.options()) {
                // An option's entry is its names in bold, with the value's label, ending in "::".
                assertThat(page.lines().filter(l -> l.startsWith("*") && l.endsWith("::"))
                        .filter(l -> Stream.of(o.names()).allMatch(n -> l.matches(".*(?<![\\w-])" + Pattern.quote(n) + "(?![\\w-]).*"))))
                        .as("the entry of option " + String.join(", ", o.names())).hasSize(1);
                assertThat(page).as("description of " + o.longestName()).contains(String.join(" ", o.description()).strip());
            }
            for (PositionalParamSpec p : spec.positionalParameters()) {
                assertThat(page).as("argument " + p.paramLabel()).contains("_" + p.paramLabel() + "_");
            }
            for (String sub : spec.subcommands().keySet()) {
                assertThat(page).as("sub-command " + sub).contains("*" + sub + "*");
            }
        }));
    }

    @Test
    @Tag("e2e")
    @RequiresTools({"bash", "asciidoctor", "man"})
    void manPages_convertedAsTheReadmeSays_manShowsEveryCommandsOptions(@TempDir Path dir) throws IOException {
        Path pages = Files.createDirectories(dir.resolve("target/man"));
        try (Stream<Path> files = Files.list(MAN)) {
            for (Path f : files.toList()) {
                Files.copy(f, pages.resolve(f.getFileName()));
            }
        }
        Processes.ok(dir, "bash", "-c", "asciidoctor -b manpage -D target/man target/man/*.adoc");   // README's line
        for (CommandSpec spec : commands()) {
            String page = spec.qualifiedName("-");
            String shown = Processes.ok(dir, "env", "MANWIDTH=200", "man", "-l", "target/man/" + page + ".1");
            assertThat(shown).as(page).contains(page.toUpperCase(java.util.Locale.ROOT) + "(1)", "portcullis 0.1.0");
            for (OptionSpec o : spec.options()) {
                assertThat(shown).as(page).contains(o.names());
            }
        }
    }

    @Test
    void manPage_ofServe_listsTheSettingVariablesAsServeHelpDoes() throws IOException {
        String page = Files.readString(MAN.resolve("portcullis-serve.adoc"));
        assertThat(Main.settingVariableLines()).isNotEmpty()
                .allSatisfy(line -> assertThat(page).contains(line.strip()));
    }
}
