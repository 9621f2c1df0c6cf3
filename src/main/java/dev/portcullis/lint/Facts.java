package dev.portcullis.lint;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the rules read about one file, worked out once per lint: the instructions and stages, each
 * RUN's commands, the external base images. Rules share it instead of re-parsing the same text.
 */
final class Facts {
    private final Dockerfile file;
    private final List<Instruction.Run> runs;
    private final List<Instruction.Run> onbuildRuns;
    private final Map<Instruction.Run, ShellCommands> shells = new IdentityHashMap<>();
    private final List<Dockerfile.Stage> stages;
    private List<BaseImages.Base> bases;

    Facts(Dockerfile file) {
        this.file = file;
        this.stages = file.stages();
        this.runs = file.instructions().stream().filter(Instruction.Run.class::isInstance)
                .map(Instruction.Run.class::cast).toList();
        this.onbuildRuns = file.instructions().stream().filter(Instruction.Onbuild.class::isInstance)
                .map(i -> ((Instruction.Onbuild) i).trigger()).filter(Instruction.Run.class::isInstance)
                .map(Instruction.Run.class::cast).toList();
        for (Instruction.Run r : runs) {
            shells.put(r, ShellCommands.of(r.command()));
        }
    }

    Dockerfile file() {
        return file;
    }

    List<Instruction> instructions() {
        return file.instructions();
    }

    List<Dockerfile.Stage> stages() {
        return stages;
    }

    List<Instruction.Run> runs() {
        return runs;
    }

    /** The RUN triggers of {@code ONBUILD} instructions, which hadolint's RUN rules also judge (most of them). */
    List<Instruction.Run> onbuildRuns() {
        return onbuildRuns;
    }

    ShellCommands shell(Instruction.Run run) {
        return shells.computeIfAbsent(run, r -> ShellCommands.of(r.command()));
    }

    List<BaseImages.Base> bases() {
        if (bases == null) {
            bases = BaseImages.external(file);
        }
        return bases;
    }
}
