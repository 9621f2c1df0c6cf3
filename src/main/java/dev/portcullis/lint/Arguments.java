package dev.portcullis.lint;

import java.util.List;

/** The command of RUN, CMD, ENTRYPOINT, SHELL or HEALTHCHECK: shell form or exec (JSON) form. */
sealed interface Arguments {

    /** {@code RUN apt-get update}: run by the shell. */
    record ShellForm(String text) implements Arguments {}

    /** {@code CMD ["nginx", "-g", "daemon off;"]}: run without a shell. */
    record ExecForm(List<String> argv) implements Arguments {
        public ExecForm {
            argv = List.copyOf(argv);
        }
    }

    /** The whole command as one text, for rules that search it. */
    default String text() {
        return switch (this) {
            case ShellForm s -> s.text();
            case ExecForm e -> String.join(" ", e.argv());
        };
    }
}
