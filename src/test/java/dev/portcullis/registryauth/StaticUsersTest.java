package dev.portcullis.registryauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.config.ConfigDocument;
import dev.portcullis.config.ConfigException;
import dev.portcullis.config.Secret;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StaticUsersTest {
    private static StaticUsers users(String yaml) {
        return StaticUsers.from(ConfigDocument.parse(yaml, "u.yml", Map.of()).root().section("users"));
    }

    private static String hash(String version, String password) {
        return OpenBSDBCrypt.generate(version, password.toCharArray(), new byte[16], 4);
    }

    @ParameterizedTest(name = "${0}$")
    @ValueSource(strings = {"2a", "2b", "2y"})
    void authenticate_eachBcryptVersion_acceptsRightPasswordOnly(String version) {
        StaticUsers u = users("users:\n  alice: {password: '" + hash(version, "secret") + "', labels: {team: [a, b]}}\n");
        assertThat(u.authenticate("alice", Secret.of("secret")))
                .isEqualTo(new AuthnResult.Authenticated(Map.of("team", List.of("a", "b")), "users"));
        assertThat(u.authenticate("alice", Secret.of("Secret"))).isInstanceOf(AuthnResult.Rejected.class);
        assertThat(u.authenticate("alice", Secret.of(""))).isInstanceOf(AuthnResult.Rejected.class);
    }

    @Test
    void authenticate_unknownAccount_isNoMatchSoTheNextAuthenticatorIsAsked() {
        assertThat(users("users:\n  alice: {password: '" + hash("2y", "x") + "'}\n").authenticate("bob", Secret.of("x")))
                .isInstanceOf(AuthnResult.NoMatch.class);
    }

    @Test
    void decoyHash_accountsAtCosts4And6_isAValidCost6HashThatMatchesNoPassword() {
        StaticUsers u = users("users:\n  alice: {password: '" + hash("2y", "x") + "'}\n"
                + "  bob: {password: '" + OpenBSDBCrypt.generate("2b", "y".toCharArray(), new byte[16], 6) + "'}\n");
        // The unknown account pays the highest cost among the real ones, so timing does not tell them apart.
        assertThat(u.decoyHash()).matches("\\$2y\\$06\\$[./A-Za-z0-9]{53}");
        for (String guess : List.of("x", "y", "decoy", "")) {
            assertThat(OpenBSDBCrypt.checkPassword(u.decoyHash(), guess.toCharArray())).as(guess).isFalse();
        }
    }

    @Test
    void authenticate_anonymousEntry_acceptsOnlyEmptyPassword() {
        StaticUsers u = users("users:\n  '': {}\n");
        assertThat(u.authenticate("", Secret.of(""))).isInstanceOf(AuthnResult.Authenticated.class);
        assertThat(u.authenticate("", Secret.of("x"))).isInstanceOf(AuthnResult.Rejected.class);
    }

    @Test
    void authenticate_passwordLongerThan72Bytes_isRejectedNotTruncated() {
        String p72 = "p".repeat(72);
        StaticUsers u = users("users:\n  alice: {password: '" + hash("2y", p72) + "'}\n");
        assertThat(u.authenticate("alice", Secret.of(p72 + "anything"))).isInstanceOf(AuthnResult.Rejected.class);
    }

    @ParameterizedTest(name = "[{index}] {0} characters")
    @ValueSource(ints = {36, 37, 40, 72})
    void authenticate_knownAndUnknownAccount_runBcryptEquallyOftenForEveryPasswordLength(int chars) {
        // é is two UTF-8 bytes: 36 of them are 72 bytes (bcrypt's limit), 37 and more are over it.
        String password = "é".repeat(chars);
        List<String> checked = new ArrayList<>();
        StaticUsers u = StaticUsers.from(ConfigDocument.parse("users:\n  alice: {password: '" + hash("2y", "x") + "'}\n",
                "u.yml", Map.of()).root().section("users"), (hash, pw) -> {
                    checked.add(hash);
                    return OpenBSDBCrypt.checkPassword(hash, pw);
                });
        assertThat(u.authenticate("alice", Secret.of(password))).isInstanceOf(AuthnResult.Rejected.class);
        int known = checked.size();
        assertThat(u.authenticate("bob", Secret.of(password))).isInstanceOf(AuthnResult.NoMatch.class);
        int unknown = checked.size() - known;
        assertThat(unknown).as("bcrypt runs for the unknown account").isEqualTo(known);
        assertThat(known).isEqualTo(chars <= 36 ? 1 : 0);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"plaintext", "$1$abc$def", "$2y$10$short", "$2x$10$abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz0"})
    void from_passwordNotBcrypt_namesLineAndNeverEchoesIt(String value) {
        assertThatThrownBy(() -> users("users:\n  alice:\n    password: '" + value + "'\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("u.yml line 3").hasMessageContaining("bcrypt")
                .hasMessageNotContaining(value);
    }

    @Test
    void from_accountWithoutPassword_isRefused() {
        assertThatThrownBy(() -> users("users:\n  alice: {labels: {a: [b]}}\n")).hasMessageContaining("required");
    }
}
