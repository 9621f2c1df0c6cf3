package dev.portcullis.lint;

import static dev.portcullis.lint.Severity.ERROR;
import static dev.portcullis.lint.Severity.IGNORE;
import static dev.portcullis.lint.Severity.INFO;
import static dev.portcullis.lint.Severity.STYLE;
import static dev.portcullis.lint.Severity.WARNING;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** hadolint's rules about instructions other than the commands RUN executes. */
final class InstructionRules {
    private static final Pattern LABEL_KEY = Pattern.compile("[a-z0-9]+(?:[.-][a-z0-9]+)*");

    private InstructionRules() {}

    static List<Rule> all() {
        return List.of(
                new SimpleRule("DL3000", ERROR, "Use absolute WORKDIR", (f, p, r) -> each(f, Instruction.Workdir.class, w -> {
                    String path = w.path();
                    if (!path.startsWith("/") && !path.startsWith("$") && !path.matches("[A-Za-z]:[\\\\/].*")) {
                        r.add(w, "Use absolute WORKDIR");
                    }
                })),
                // As hadolint judges it: in every stage, not only the last, the stage's last USER must not be
                // root; a stage built FROM one whose last USER is root is reported there, at that USER.
                new SimpleRule("DL3002", WARNING, "Last USER should not be root", (f, p, r) -> {
                    for (Dockerfile.Stage stage : f.stages()) {
                        Instruction.User last = null;
                        for (Instruction i : stage.instructions()) {
                            if (i instanceof Instruction.User u) {
                                last = u;
                            }
                        }
                        if (last != null && isRoot(last.user())) {
                            r.add(last, "Last USER should not be root");
                        }
                    }
                }),
                new SimpleRule("DL3006", WARNING, "Always tag the version of an image explicitly", (f, p, r) ->
                        f.bases().forEach(b -> {
                            if (b.tag().isEmpty() && b.digest().isEmpty() && !b.name().equals("scratch")) {
                                r.add(b.from(), "Always tag the version of an image explicitly");
                            }
                        })),
                new SimpleRule("DL3007", WARNING, "Using latest is prone to errors if the image will ever update",
                        (f, p, r) -> f.bases().forEach(b -> {
                            if (b.tag().filter("latest"::equals).isPresent() && b.digest().isEmpty()) {
                                r.add(b.from(), "Using latest is prone to errors if the image will ever update. "
                                        + "Pin the version explicitly to a release tag");
                            }
                        })),
                new SimpleRule("DL3011", ERROR, "Valid UNIX ports range from 0 to 65535", (f, p, r) ->
                        each(f, Instruction.Expose.class, e -> {
                            for (String port : e.ports()) {
                                for (String part : port.replaceAll("/(tcp|udp|sctp)$", "").split("-")) {
                                    if (part.matches("\\d+") && (part.length() > 5 || Integer.parseInt(part) > 65535)) {
                                        r.add(e, "Valid UNIX ports range from 0 to 65535");
                                    }
                                }
                            }
                        })),
                new SimpleRule("DL3012", ERROR, "Multiple HEALTHCHECK instructions", (f, p, r) -> perStageSecond(f,
                        Instruction.Healthcheck.class, r, "Multiple HEALTHCHECK instructions")),
                new SimpleRule("DL3020", ERROR, "Use COPY instead of ADD for files and folders", (f, p, r) ->
                        each(f, Instruction.Copy.class, c -> {
                            // As hadolint: every source must be an archive ADD extracts (not a zip) or an http(s) URL.
                            if (c.add() && c.heredocs().isEmpty() && c.sources().stream().map(InstructionRules::dropQuotes)
                                    .anyMatch(s -> !s.startsWith("http://") && !s.startsWith("https://")
                                            && ARCHIVES.stream().noneMatch(s::endsWith))) {
                                r.add(c, "Use COPY instead of ADD for files and folders");
                            }
                        })),
                new SimpleRule("DL3021", ERROR, "COPY with more than 2 arguments requires the last argument to end with /",
                        (f, p, r) -> each(f, Instruction.Copy.class, c -> {
                            if (!c.add() && c.sources().size() > 1 && !dropQuotes(c.destination()).endsWith("/")) {
                                r.add(c, "COPY with more than 2 arguments requires the last argument to end with /");
                            }
                        })),
                new SimpleRule("DL3022", WARNING, "COPY --from should reference a previously defined FROM alias",
                        InstructionRules::copyFromAlias),
                new SimpleRule("DL3023", ERROR, "COPY --from cannot reference its own FROM alias", (f, p, r) -> {
                    for (Dockerfile.Stage s : f.stages()) {
                        for (Instruction i : s.instructions()) {
                            if (i instanceof Instruction.Copy c && c.flag("from").isPresent()
                                    && s.from().alias().filter(a -> a.equalsIgnoreCase(c.flag("from").get())).isPresent()) {
                                r.add(c, "COPY --from cannot reference its own FROM alias");
                            }
                        }
                    }
                }),
                new SimpleRule("DL3024", ERROR, "FROM aliases (stage names) must be unique", (f, p, r) -> {
                    Set<String> seen = new HashSet<>();
                    for (Dockerfile.Stage s : f.stages()) {
                        s.from().alias().map(a -> a.toLowerCase(java.util.Locale.ROOT)).filter(a -> !seen.add(a))
                                .ifPresent(a -> r.add(s.from(), "Duplicate FROM alias '" + a + "'"));
                    }
                }),
                new SimpleRule("DL3025", WARNING, "Use arguments JSON notation for CMD and ENTRYPOINT arguments",
                        (f, p, r) -> f.instructions().forEach(i -> {
                            if (i instanceof Instruction.Cmd c && c.command() instanceof Arguments.ShellForm
                                    || i instanceof Instruction.Entrypoint e && e.command() instanceof Arguments.ShellForm) {
                                r.add(i, "Use arguments JSON notation for CMD and ENTRYPOINT arguments");
                            }
                        })),
                new SimpleRule("DL3026", ERROR, "Use only an allowed registry in the FROM image", (f, p, r) -> {
                    if (p.trustedRegistries().isEmpty()) {
                        return;
                    }
                    f.bases().forEach(b -> {
                        if (!b.name().equals("scratch") && p.trustedRegistries().stream().noneMatch(t -> Globs.matches(t, b.registry()))) {
                            r.add(b.from(), "Use only an allowed registry in the FROM image (" + b.registry() + " is not trusted)");
                        }
                    });
                }),
                new SimpleRule("DL3029", WARNING, "Do not use --platform flag with FROM", (f, p, r) ->
                        each(f, Instruction.From.class, from -> from.flag("platform").filter(v -> !v.contains("$"))
                                .ifPresent(v -> r.add(from, "Do not use --platform flag with FROM")))),
                new SimpleRule("DL3044", ERROR, "Do not refer to an environment variable within the same ENV statement where it is defined",
                        (f, p, r) -> each(f, Instruction.Env.class, e -> {
                            Set<String> defined = new HashSet<>();
                            for (Map.Entry<String, String> kv : e.pairs().entrySet()) {
                                for (String d : defined) {
                                    if (kv.getValue().contains("$") && refersTo(kv.getValue(), d)) {
                                        r.add(e, "Do not refer to an environment variable within the same ENV statement where it is defined");
                                    }
                                }
                                defined.add(kv.getKey());
                            }
                        })),
                new SimpleRule("DL3045", WARNING, "COPY to a relative destination without WORKDIR set", (f, p, r) -> {
                    for (Dockerfile.Stage s : f.stages()) {
                        boolean workdir = false;
                        for (Instruction i : s.instructions()) {
                            workdir |= i instanceof Instruction.Workdir;
                            String to = i instanceof Instruction.Copy c ? dropQuotes(c.destination()) : "";
                            if (i instanceof Instruction.Copy c && !c.add() && !workdir && !to.startsWith("/")
                                    && !to.startsWith("$") && !to.matches("[A-Za-z]:.*")) {
                                r.add(c, "`COPY` to a relative destination without `WORKDIR` set.");
                            }
                        }
                    }
                }),
                new SimpleRule("DL3048", STYLE, "Invalid label key", (f, p, r) -> each(f, Instruction.Label.class, l ->
                        l.pairs().keySet().stream().filter(k -> !LABEL_KEY.matcher(k).matches() || k.startsWith("com.docker.")
                                || k.startsWith("io.docker.") || k.startsWith("org.dockerproject."))
                                .forEach(k -> r.add(l, "Invalid label key: " + k)))),
                new SimpleRule("DL3049", INFO, "Label is missing (label-schema)", (f, p, r) -> requireLabels(f,
                        p.labelSchema().keySet(), r)),
                new SimpleRule("DL3057", IGNORE, "HEALTHCHECK instruction missing", (f, p, r) -> {
                    if (!f.stages().isEmpty() && f.instructions().stream().noneMatch(i -> i instanceof Instruction.Healthcheck)) {
                        r.add(f.stages().get(f.stages().size() - 1).from(), "`HEALTHCHECK` instruction missing.");
                    }
                }),
                new SimpleRule("DL3061", ERROR, "Invalid instruction order. Dockerfile must begin with FROM, ARG or comment",
                        (f, p, r) -> f.instructions().stream().findFirst()
                                .filter(i -> !(i instanceof Instruction.From) && !(i instanceof Instruction.Arg))
                                .ifPresent(i -> r.add(i, "Invalid instruction order. Dockerfile must begin with `FROM`, `ARG` or comment."))),
                new SimpleRule("DL3043", ERROR, "ONBUILD, FROM or MAINTAINER triggered from within ONBUILD instruction",
                        (f, p, r) -> each(f, Instruction.Onbuild.class, o -> {
                            if (o.trigger() instanceof Instruction.Onbuild || o.trigger() instanceof Instruction.From
                                    || o.trigger() instanceof Instruction.Maintainer) {
                                r.add(o, "`ONBUILD`, `FROM` or `MAINTAINER` triggered from within `ONBUILD` instruction.");
                            }
                        })),
                new SimpleRule("DL3010", INFO, "Use ADD for extracting archives into an image", (f, p, r) -> ArchiveCopies.check(f, r)),
                new SimpleRule("DL4000", ERROR, "MAINTAINER is deprecated", (f, p, r) ->
                        each(f, Instruction.Maintainer.class, m -> r.add(m, "MAINTAINER is deprecated"))),
                new SimpleRule("DL4003", WARNING, "Multiple CMD instructions found", (f, p, r) -> perStageSecond(f,
                        Instruction.Cmd.class, r, "Multiple `CMD` instructions found. If you list more than one `CMD` then only the last `CMD` will take effect")),
                new SimpleRule("DL4004", ERROR, "Multiple ENTRYPOINT instructions found", (f, p, r) -> perStageSecond(f,
                        Instruction.Entrypoint.class, r, "Multiple `ENTRYPOINT` instructions found. If you list more than one `ENTRYPOINT` then only the last `ENTRYPOINT` will take effect")));
    }

    // $NAME or ${NAME...} in the value, NAME not followed by another name character.
    private static boolean refersTo(String value, String name) {
        for (String prefix : new String[] {"$", "${"}) {
            int at = value.indexOf(prefix + name);
            while (at >= 0) {
                int end = at + prefix.length() + name.length();
                if (end >= value.length() || !(Character.isLetterOrDigit(value.charAt(end)) || value.charAt(end) == '_')) {
                    return true;
                }
                at = value.indexOf(prefix + name, at + 1);
            }
        }
        return false;
    }

    // The archive types ADD extracts, as hadolint lists them.
    static final List<String> ARCHIVES = List.of(".tar", ".Z", ".bz2", ".gz", ".lz", ".lzma", ".tZ", ".tb2", ".tbz", ".tbz2",
            ".tgz", ".tlz", ".tpz", ".txz", ".xz");

    /** A path without the quotes around it (single or double), as hadolint reads paths. */
    static String dropQuotes(String path) {
        int from = 0;
        int to = path.length();
        while (from < to && (path.charAt(from) == '"' || path.charAt(from) == '\'')) {
            from++;
        }
        while (to > from && (path.charAt(to - 1) == '"' || path.charAt(to - 1) == '\'')) {
            to--;
        }
        return path.substring(from, to);
    }

    static boolean isRoot(String user) {
        String u = user.split(":")[0];
        return u.equals("root") || u.equals("0");
    }

    static boolean isUrl(String s) {
        return s.matches("(?i)(https?|ftp)://.*");
    }

    static <T extends Instruction> void each(Facts f, Class<T> type, java.util.function.Consumer<T> action) {
        for (Instruction i : f.instructions()) {
            if (type.isInstance(i)) {
                action.accept(type.cast(i));
            }
        }
    }

    private static <T extends Instruction> void perStageSecond(Facts f, Class<T> type, Rule.Report r, String message) {
        for (Dockerfile.Stage s : f.stages()) {
            boolean seen = false;
            for (Instruction i : s.instructions()) {
                if (type.isInstance(i)) {
                    if (seen) {
                        r.add(i, message);
                    }
                    seen = true;
                }
            }
        }
    }

    private static void copyFromAlias(Facts f, LintPolicy p, Rule.Report r) {
        Set<String> aliases = new HashSet<>();
        for (Dockerfile.Stage s : f.stages()) {
            for (Instruction i : s.instructions()) {
                if (i instanceof Instruction.Copy c) {
                    Optional<String> from = c.flag("from");
                    if (from.isPresent() && !from.get().matches("\\d+") && !from.get().contains(":") && !from.get().contains("/")
                            && !from.get().contains("$") && !aliases.contains(from.get().toLowerCase(java.util.Locale.ROOT))
                            && s.from().alias().filter(a -> a.equalsIgnoreCase(from.get())).isEmpty()) {
                        r.add(c, "`COPY --from` should reference a previously defined `FROM` alias");
                    }
                }
            }
            s.from().alias().ifPresent(a -> aliases.add(a.toLowerCase(java.util.Locale.ROOT)));
        }
    }

    static void requireLabels(Facts f, Set<String> required, Rule.Report r) {
        if (required.isEmpty() || f.stages().isEmpty()) {
            return;
        }
        Set<String> present = new HashSet<>();
        each(f, Instruction.Label.class, l -> present.addAll(l.pairs().keySet()));
        Instruction at = f.stages().get(f.stages().size() - 1).from();
        required.stream().sorted().filter(k -> !present.contains(k)).forEach(k -> r.add(at, "Label `" + k + "` is missing."));
    }
}
