package dev.portcullis.cli;

import dev.portcullis.audit.AuditLog;
import dev.portcullis.audit.FileAuditLog;
import dev.portcullis.engine.EngineGuard;
import dev.portcullis.engine.GuardSettings;
import dev.portcullis.engine.PolicyClient;
import dev.portcullis.engine.RuleSuggestions;
import dev.portcullis.engine.Upstream;
import dev.portcullis.pki.PemException;
import dev.portcullis.pki.PkiException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code portcullis engine-guard}: the Docker Engine API behind mutual TLS and per-identity rules. */
@Command(name = "engine-guard", mixinStandardHelpOptions = true,
        description = "Serves the Docker Engine API of the engine at --upstream over mutual TLS: only clients with a certificate "
                + "of --ca get in, each may do what its rules allow. Every option can be set from the environment "
                + "(PORTCULLIS_ENGINE_GUARD_<OPTION>, e.g. PORTCULLIS_ENGINE_GUARD_LISTEN).",
        subcommands = EngineGuardCommand.SuggestRules.class)
final class EngineGuardCommand implements Callable<Integer> {
    private static final String ENV = "PORTCULLIS_ENGINE_GUARD_";

    @Spec
    CommandSpec spec;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "${env:" + ENV + "LISTEN:-127.0.0.1:2376}",
            description = "Where to listen (default ${DEFAULT-VALUE}; " + ENV + "LISTEN).")
    String listen;

    @Option(names = "--upstream", paramLabel = "unix:PATH|tcp:HOST:PORT", defaultValue = "${env:" + ENV + "UPSTREAM:-unix:/var/run/docker.sock}",
            description = "The engine's API (default ${DEFAULT-VALUE}; " + ENV + "UPSTREAM).")
    String upstream;

    @Option(names = "--ca", paramLabel = "FILE", defaultValue = "${env:" + ENV + "CA}",
            description = "PEM file of the CA client certificates must chain to (" + ENV + "CA).")
    Path ca;

    @Option(names = "--cert", paramLabel = "FILE", defaultValue = "${env:" + ENV + "CERT}",
            description = "PEM file of the guard's server certificate (" + ENV + "CERT).")
    Path cert;

    @Option(names = "--key", paramLabel = "FILE", defaultValue = "${env:" + ENV + "KEY}",
            description = "PEM file of the guard's server key (" + ENV + "KEY).")
    Path key;

    @Option(names = "--crl", paramLabel = "FILE", defaultValue = "${env:" + ENV + "CRL}",
            description = "PEM CRL of the CA: revoked client certificates are refused (" + ENV + "CRL).")
    Path crl;

    @Option(names = "--rules", paramLabel = "FILE", defaultValue = "${env:" + ENV + "RULES}",
            description = "YAML rules per identity; without it every identity is read-only (" + ENV + "RULES).")
    Path rules;

    @Option(names = "--audit-dir", paramLabel = "DIR", defaultValue = "${env:" + ENV + "AUDIT_DIR:-data/engine-audit}",
            description = "Directory of the audit log, a JSON line per decision (default ${DEFAULT-VALUE}; " + ENV + "AUDIT_DIR).")
    Path auditDir;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS", defaultValue = "${env:" + ENV + "IDLE_TIMEOUT:-120}",
            description = "How long a connection may wait between requests (default ${DEFAULT-VALUE}; never cuts a stream).")
    long idleSeconds;

    @Option(names = "--policy-server", paramLabel = "URL", defaultValue = "${env:" + ENV + "POLICY_SERVER}",
            description = "A portcullis serve whose policy judges the image of every container created (" + ENV + "POLICY_SERVER).")
    java.net.URI policyServer;

    @Option(names = "--policy-token-file", paramLabel = "FILE", defaultValue = "${env:" + ENV + "POLICY_TOKEN_FILE:-data/admin.token}",
            description = "File with the admin API token for --policy-server (default ${DEFAULT-VALUE}; " + ENV + "POLICY_TOKEN_FILE).")
    Path policyTokenFile;

    @Override
    public Integer call() throws IOException, InterruptedException {
        GuardSettings settings;
        try {
            if (ca == null || cert == null || key == null) {
                throw new IllegalArgumentException("--ca, --cert and --key are required (or " + ENV + "CA, _CERT, _KEY)");
            }
            settings = new GuardSettings(GuardSettings.listenAddress(listen), Upstream.parse(upstream), ca, cert, key,
                    Optional.ofNullable(crl), Optional.ofNullable(rules), auditDir, Duration.ofSeconds(idleSeconds));
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("portcullis engine-guard: " + e.getMessage());
            return 2;
        }
        AuditLog audit = FileAuditLog.open(settings.auditDir());
        EngineGuard guard;
        try {
            guard = EngineGuard.start(settings, audit, Clock.systemUTC(), policyServer == null
                    ? (identity, image) -> Optional.empty() : new PolicyClient(policyServer, policyTokenFile));
        } catch (IllegalArgumentException | PemException | PkiException | IOException e) {
            audit.close();
            spec.commandLine().getErr().println("portcullis engine-guard: " + e.getMessage());
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            guard.close();
            audit.close();
            stopped.countDown();
        }));
        spec.commandLine().getOut().println(guard.describe()
                + (policyServer == null ? "" : ", images judged by the policy of " + policyServer));
        spec.commandLine().getOut().flush();
        stopped.await();
        return 0;
    }

    /** {@code engine-guard suggest-rules}: a rules file from the audit log, after a run in learning mode. */
    @Command(name = "suggest-rules", mixinStandardHelpOptions = true,
            description = "Prints a rules file allowing what the audit log shows each identity did: every request allowed, "
                    + "and in learning mode (learning: true) every one the rules would have denied.")
    static final class SuggestRules implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--audit-dir", paramLabel = "DIR", defaultValue = "${env:" + ENV + "AUDIT_DIR:-data/engine-audit}",
                description = "The guard's audit log directory (default ${DEFAULT-VALUE}).")
        Path auditDir;

        @Override
        public Integer call() {
            try {
                spec.commandLine().getOut().print(RuleSuggestions.fromAuditDir(auditDir).yaml(auditDir));
                return 0;
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("portcullis engine-guard suggest-rules: " + e.getMessage());
                return 2;
            }
        }
    }
}
