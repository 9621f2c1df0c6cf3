package dev.portcullis.cli;

import dev.portcullis.config.ConfigDocument;
import dev.portcullis.server.Application;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code portcullis serve}: runs the control plane until stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Runs the control plane (token authority, APIs). Without --config: the embedded default.",
        footerHeading = "%nEnvironment:%n",
        footer = {"Every setting can be given as PORTCULLIS_<SECTION>_<KEY>, overriding the file; a PORTCULLIS_*",
                "variable that matches no setting stops the start. The settings of the default configuration:"})
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--config"}, description = "YAML configuration (docker_auth's format plus Portcullis sections).")
    Path config;

    @Override
    public Integer call() throws InterruptedException {
        ConfigDocument doc = config == null ? ConfigDocument.empty(System.getenv())
                : ConfigDocument.load(config, System.getenv());
        Application app = Application.start(doc, Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }));
        var out = spec.commandLine().getOut();
        out.println("portcullis: serving on port " + app.port());
        out.println("portcullis: " + app.capacity());
        app.warnings().forEach(w -> out.println("portcullis: warning: " + w));
        app.adminTokenFile().ifPresent(f -> out.println("portcullis: admin API token (Bearer) in " + f.toAbsolutePath()));
        out.println("portcullis: registry configuration (config.yml of the distribution registry):");
        out.print(app.registrySnippet());
        spec.commandLine().getOut().flush();
        stopped.await();
        return 0;
    }
}
