package dev.portcullis.lint;

import java.util.Optional;

/** A {@code --name=value} (or bare {@code --name}) option of an instruction, e.g. {@code --from=build}. */
record Flag(String name, Optional<String> value) {
    static Flag parse(String token) {
        String body = token.substring(2);
        int eq = body.indexOf('=');
        return eq < 0 ? new Flag(body, Optional.empty()) : new Flag(body.substring(0, eq), Optional.of(body.substring(eq + 1)));
    }
}
