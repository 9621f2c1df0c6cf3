package dev.portcullis.lint;

import static dev.portcullis.lint.Severity.INFO;
import static dev.portcullis.lint.Severity.WARNING;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * hadolint's later instruction rules, decided as hadolint decides them: reserved stage names
 * (DL3063), sensitive-looking ARG and ENV names (DL3064), a redundant {@code FROM --platform}
 * (DL3065), a user that is not a numeric id (DL3066), a copy of a whole file system (DL3067).
 */
final class StageHygieneRules {
    private static final Set<String> SENSITIVE_NAMES = Set.of("ACCESS_TOKEN", "APPLICATION_KEY", "APP_SECRET", "AUTH_TOKEN",
            "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "BITTREX_API_KEY", "BITTREX_API_SECRET", "CF_PASSWORD", "CF_USERNAME",
            "CIRCLE_TOKEN", "CI_DEPLOY_PASSWORD", "CI_DEPLOY_USER", "DOCKERHUB_PASSWORD", "DOCKER_EMAIL", "DOCKER_PASSWORD",
            "DOCKER_USERNAME", "FACEBOOK_ACCESS_TOKEN", "FACEBOOK_APP_ID", "FACEBOOK_APP_SECRET", "FIREBASE_API_TOKEN",
            "FIREBASE_TOKEN", "FOSSA_API_KEY", "GH_ENTERPRISE_TOKEN", "GH_TOKEN", "GITHUB_ENTERPRISE_TOKEN", "GITHUB_TOKEN",
            "HEROKU_API_KEY", "HEROKU_API_USER", "NPM_AUTH_TOKEN", "NPM_TOKEN", "OKTA_AUTHN_GROUPID", "OKTA_CLIENT_ORGURL",
            "OKTA_CLIENT_TOKEN", "OKTA_OAUTH2_CLIENTID", "OKTA_OAUTH2_CLIENTSECRET", "OPENAI_API_KEY", "OS_PASSWORD", "OS_USERNAME",
            "POSTGRES_PASSWORD", "SLACK_TOKEN", "STRIPE_API_KEY", "STRIPE_DEVICE_NAME", "TRAVIS_OS_NAME", "TRAVIS_SECURE_ENV_VARS",
            "TRAVIS_SUDO", "VAULT_CLIENT_KEY", "VAULT_TOKEN");
    private static final List<String> SUSPICIOUS = List.of("api_key", "client_key", "password", "private", "secret", "token", "username");

    private StageHygieneRules() {}

    static List<Rule> all() {
        return List.of(
                new SimpleRule("DL3063", WARNING, "stage name should not be a reserved word", (f, p, r) ->
                        InstructionRules.each(f, Instruction.From.class, from -> from.alias()
                                .filter(a -> a.equals("scratch") || a.equals("context"))
                                .ifPresent(a -> r.add(from, "stage name should not be a reserved word")))),
                new SimpleRule("DL3064", WARNING, "Potentially sensitive data should not be used in the ARG or ENV commands", (f, p, r) -> {
                    String message = "Potentially sensitive data should not be used in the `ARG` or `ENV` commands";
                    for (Instruction i : withOnbuild(f)) {
                        Set<String> names = i instanceof Instruction.Arg a ? a.names().keySet()
                                : i instanceof Instruction.Env e ? e.pairs().keySet() : Set.of();
                        if (names.stream().anyMatch(StageHygieneRules::sensitive)) {
                            r.add(i, message);
                        }
                    }
                }),
                new SimpleRule("DL3065", WARNING, "Setting FROM --platform to predefined $TARGETPLATFORM is redundant", (f, p, r) ->
                        InstructionRules.each(f, Instruction.From.class, from -> from.flags().stream()
                                .filter(fl -> fl.name().equals("platform")).map(fl -> fl.value().orElse(""))
                                .filter(v -> v.equals("$TARGETPLATFORM") || v.equals("${TARGETPLATFORM}")).findFirst()
                                .ifPresent(v -> r.add(from, "Setting `FROM --platform` to predefined `$TARGETPLATFORM` in is redundant as this is the default behavior")))),
                new SimpleRule("DL3066", INFO, "Non-numeric user-id may not be resolvable by host system", (f, p, r) -> {
                    Set<String> args = new HashSet<>();
                    for (Instruction i : f.instructions()) {
                        if (i instanceof Instruction.Arg a) {
                            args.addAll(a.names().keySet());
                        } else if (i instanceof Instruction.User u) {
                            String uid = u.user().split(":", -1)[0];
                            boolean fromArg = args.stream().anyMatch(n -> uid.contains("${" + n + "}") || uid.contains("$" + n));
                            if (!uid.chars().allMatch(Character::isDigit) && !fromArg) {
                                r.add(u, "Non-numeric user-id may not be resolvable by host system");
                            }
                        }
                    }
                }),
                new SimpleRule("DL3067", WARNING, "Do not copy an entire filesystem from another stage", (f, p, r) ->
                        InstructionRules.each(f, Instruction.Copy.class, c -> {
                            boolean fromStage = c.flags().stream().anyMatch(fl -> fl.name().equals("from"));
                            if (!c.add() && fromStage && InstructionRules.dropQuotes(c.destination()).equals("/")
                                    && c.sources().stream().anyMatch(s -> InstructionRules.dropQuotes(s).equals("/"))) {
                                r.add(c, "Do not copy an entire filesystem from another stage");
                            }
                        })));
    }

    private static boolean sensitive(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return SENSITIVE_NAMES.contains(name.toUpperCase(Locale.ROOT)) || SUSPICIOUS.stream().anyMatch(lower::contains);
    }

    // The instructions and the ONBUILD triggers among them, as hadolint's onbuild wrapper adds them.
    private static List<Instruction> withOnbuild(Facts f) {
        List<Instruction> out = new java.util.ArrayList<>(f.instructions());
        f.instructions().stream().filter(Instruction.Onbuild.class::isInstance).map(i -> ((Instruction.Onbuild) i).trigger()).forEach(out::add);
        return out;
    }
}
