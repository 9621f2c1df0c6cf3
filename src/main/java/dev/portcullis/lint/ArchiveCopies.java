package dev.portcullis.lint;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * DL3010 as hadolint decides it: a COPY (not from a stage) of an archive, or to an archive's name,
 * that a later RUN of the same stage extracts ({@code tar} with {@code -x...}, {@code --extract} or
 * {@code --get}, or {@code unzip}, {@code gunzip} and the like, naming the archive's file name) would be
 * one ADD. Paths are compared by their last part, after either kind of slash.
 */
final class ArchiveCopies {
    private static final Set<String> UNPACKERS = Set.of("unzip", "gunzip", "bunzip2", "unlzma", "unxz", "zgz", "uncompress",
            "zcat", "gzcat");
    private static final String MESSAGE = "Use ADD for extracting archives into an image";

    private ArchiveCopies() {}

    static void check(Facts f, Rule.Report r) {
        for (Dockerfile.Stage stage : f.stages()) {
            Map<String, Instruction.Copy> copied = new LinkedHashMap<>();
            for (Instruction i : stage.instructions()) {
                if (i instanceof Instruction.Copy c && !c.add() && c.flags().stream().noneMatch(fl -> fl.name().equals("from"))) {
                    if (archive(c.destination())) {
                        copied.putIfAbsent(basename(c.destination()), c);
                    } else {
                        c.sources().stream().filter(ArchiveCopies::archive).forEach(src -> copied.putIfAbsent(basename(src), c));
                    }
                } else if (i instanceof Instruction.Run run && !copied.isEmpty()) {
                    for (List<String> cmd : f.shell(run).commands()) {
                        if (cmd.isEmpty() || !(extractsWithTar(cmd) || UNPACKERS.contains(cmd.get(0)))) {
                            continue;
                        }
                        List<String> names = ShellFlags.argsNoFlags(cmd).stream().map(ArchiveCopies::basename).toList();
                        copied.entrySet().removeIf(e -> {
                            if (names.contains(e.getKey())) {
                                r.add(e.getValue(), MESSAGE);
                                return true;
                            }
                            return false;
                        });
                    }
                }
            }
        }
    }

    // hadolint reads any word that starts with '-' and holds an 'x' as extracting (even --exclude).
    private static boolean extractsWithTar(List<String> cmd) {
        return cmd.get(0).equals("tar") && cmd.subList(1, cmd.size()).stream()
                .anyMatch(a -> a.equals("--extract") || a.equals("--get") || a.startsWith("-") && a.contains("x"));
    }

    private static boolean archive(String path) {
        String p = InstructionRules.dropQuotes(path);
        return InstructionRules.ARCHIVES.stream().anyMatch(p::endsWith);
    }

    static String basename(String path) {
        String p = InstructionRules.dropQuotes(path);
        int k = p.length();
        while (k > 0 && p.charAt(k - 1) != '/' && p.charAt(k - 1) != '\\') {
            k--;
        }
        return p.substring(k);
    }
}
