package dev.portcullis.lint;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One Dockerfile instruction, typed by keyword; every one knows where it starts and its raw text. */
sealed interface Instruction {

    Position position();

    /** The instruction as written (continuations joined), for messages and the tty report. */
    String source();

    /** Options such as {@code --from}, {@code --platform}, {@code --mount}. */
    default List<Flag> flags() {
        return List.of();
    }

    default Optional<String> flag(String name) {
        return flags().stream().filter(f -> f.name().equals(name)).findFirst().map(f -> f.value().orElse(""));
    }

    /** {@code FROM [--platform=P] IMAGE [AS NAME]}; {@code image} as written, before ARG substitution. */
    record From(Position position, String source, List<Flag> flags, String image, Optional<String> alias)
            implements Instruction {}

    /** {@code RUN}, with its mounts and here-documents. */
    record Run(Position position, String source, List<Flag> flags, Arguments command, List<Heredoc> heredocs)
            implements Instruction {}

    /** {@code CMD}. */
    record Cmd(Position position, String source, Arguments command) implements Instruction {}

    /** {@code ENTRYPOINT}. */
    record Entrypoint(Position position, String source, Arguments command) implements Instruction {}

    /** {@code SHELL ["/bin/bash", "-c"]}. */
    record Shell(Position position, String source, Arguments command) implements Instruction {}

    /** {@code COPY} (add == false) or {@code ADD}: sources and a destination, or here-documents. */
    record Copy(Position position, String source, boolean add, List<Flag> flags, List<String> sources, String destination,
                List<Heredoc> heredocs) implements Instruction {}

    /** {@code ENV K=V ...} (or the old {@code ENV K V}). */
    record Env(Position position, String source, Map<String, String> pairs) implements Instruction {}

    /** {@code LABEL K=V ...}. */
    record Label(Position position, String source, Map<String, String> pairs) implements Instruction {}

    /** {@code ARG NAME[=default]}, one or more. */
    record Arg(Position position, String source, Map<String, Optional<String>> names) implements Instruction {}

    /** {@code USER name[:group]}. */
    record User(Position position, String source, String user) implements Instruction {}

    /** {@code WORKDIR path}. */
    record Workdir(Position position, String source, String path) implements Instruction {}

    /** {@code EXPOSE 80/tcp ...}. */
    record Expose(Position position, String source, List<String> ports) implements Instruction {}

    /** {@code VOLUME}. */
    record Volume(Position position, String source, List<String> paths) implements Instruction {}

    /** {@code HEALTHCHECK [options] CMD ...} or {@code HEALTHCHECK NONE}. */
    record Healthcheck(Position position, String source, List<Flag> flags, Optional<Arguments> command)
            implements Instruction {}

    /** {@code STOPSIGNAL}. */
    record StopSignal(Position position, String source, String signal) implements Instruction {}

    /** {@code MAINTAINER} (deprecated). */
    record Maintainer(Position position, String source, String name) implements Instruction {}

    /** {@code ONBUILD <instruction>}. */
    record Onbuild(Position position, String source, Instruction trigger) implements Instruction {}
}
