package dev.portcullis.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.store.Database;
import dev.portcullis.testbed.Stores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Clock;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Named admin tokens in each store: made, recognised, revoked, and never stored in the clear. */
class AdminTokensTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.portcullis.testbed.Stores#kinds")
    void createThenRevoke_tokenAdmitsUntilRevoked_andOnlyItsHashIsStored(String kind) throws Exception {
        try (Database db = Database.open(Stores.settings(kind, dir))) {
            AdminTokens tokens = new AdminTokens(db, Clock.systemUTC());
            String name = "ci-" + System.nanoTime();
            String token = tokens.create(name, "admin");
            assertThat(tokens.nameOf(token)).contains(name);
            assertThat(tokens.nameOf(token + "x")).isEmpty();
            try (Connection c = db.connection(); ResultSet rs = c.createStatement().executeQuery(
                    "SELECT token_sha256 FROM admin_tokens WHERE name = '" + name + "'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).hasSize(64).isNotEqualTo(token);
            }
            tokens.revoke(name);
            assertThat(tokens.nameOf(token)).isEmpty();
            assertThat(tokens.list()).filteredOn(t -> t.name().equals(name)).singleElement()
                    .satisfies(t -> assertThat(t.revokedAt()).isNotNull());
            assertThatThrownBy(() -> tokens.revoke(name)).isInstanceOf(AdminTokenException.class)
                    .hasMessage("no admin token in force is named '" + name + "'");
            assertThatThrownBy(() -> tokens.create(name, "admin")).isInstanceOf(AdminTokenException.class)
                    .extracting(e -> ((AdminTokenException) e).kind()).isEqualTo(AdminTokenException.Kind.EXISTS);
        }
    }
}
