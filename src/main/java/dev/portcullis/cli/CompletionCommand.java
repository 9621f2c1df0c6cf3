package dev.portcullis.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code portcullis completion bash|zsh}: the shell completion script for every command and option,
 * made from the command line itself so that it never lags behind it. zsh reads the bash script
 * through its bashcompinit, which the script loads itself.
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Prints the shell completion script for portcullis.",
                "bash: source <(portcullis completion bash)   (or save it in /etc/bash_completion.d/portcullis)",
                "zsh:  source <(portcullis completion zsh)    (e.g. in ~/.zshrc)"})
final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SHELL", description = "bash or zsh")
    String shell;

    @Override
    public Integer call() {
        if (!shell.equals("bash") && !shell.equals("zsh")) {
            spec.commandLine().getErr().println("portcullis completion: SHELL must be bash or zsh, not '" + shell + "'");
            return 2;
        }
        spec.commandLine().getOut().print(AutoComplete.bash("portcullis", spec.root().commandLine()));
        return 0;
    }
}
