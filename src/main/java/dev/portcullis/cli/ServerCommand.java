package dev.portcullis.cli;

import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that calls the server: the shared options, and one way of failing — "portcullis
 * &lt;command&gt;: &lt;why&gt;" on stderr and exit 2 when the server cannot be reached or a file read.
 */
abstract class ServerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ApiClient api;

    /** The call; returns the exit code (see {@link ApiClient#report}). */
    abstract int run() throws IOException;

    @Override
    public final Integer call() {
        try {
            return run();
        } catch (IOException e) {
            spec.commandLine().getErr().println(spec.qualifiedName() + ": " + e.getMessage());
            return 2;
        }
    }

    int report(String method, String path, String body) throws IOException {
        return ApiClient.report(spec, api.call(method, path, body, body == null ? null : "application/json"));
    }
}
