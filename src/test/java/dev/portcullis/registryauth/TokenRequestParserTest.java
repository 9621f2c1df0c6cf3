package dev.portcullis.registryauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TokenRequestParserTest {
    private static String basic(String userColonPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userColonPassword.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void fromQuery_skopeoPush_parsesAccountScopesAndService() {
        TokenRequest r = TokenRequestParser.fromQuery(
                "account=alice&scope=repository%3Ateam%2Fapp%3Apull%2Cpush&service=registry.local",
                "Basic YWxpY2U6c2VjcmV0", "127.0.0.1");
        assertThat(r.credentials().user()).isEqualTo("alice");
        assertThat(r.credentials().password().matches("secret")).isTrue();
        assertThat(r.service()).isEqualTo("registry.local");
        assertThat(r.scopes()).extracting(Scope::toString).containsExactly("repository:team/app:pull,push");
        assertThat(r.offline()).isFalse();
    }

    @Test
    void fromQuery_repeatedScopes_keepsAll() {
        TokenRequest r = TokenRequestParser.fromQuery(
                "service=s&scope=repository:a:pull&scope=repository:b:push&offline_token=true&client_id=docker", null, "::1");
        assertThat(r.scopes()).hasSize(2);
        assertThat(r.offline()).isTrue();
        assertThat(r.clientId()).isEqualTo("docker");
        assertThat(r.credentials().isAnonymous()).isTrue();
    }

    @Test
    void fromQuery_accountDiffersFromUser_isRejected() {
        assertThatThrownBy(() -> TokenRequestParser.fromQuery("account=bob&service=s", basic("alice:x"), "1.2.3.4"))
                .isInstanceOf(InvalidTokenRequestException.class).hasMessageContaining("differs");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"Bearer abc", "Basic !!!", "Basic " + "YWxpY2U=", "Basic", "Digest x"})
    void fromQuery_malformedAuthorization_isRejected(String header) {
        assertThatThrownBy(() -> TokenRequestParser.fromQuery("service=s", header, "1.2.3.4"))
                .isInstanceOf(InvalidTokenRequestException.class);
    }

    @Test
    void fromQuery_nonUtf8Credentials_isRejected() {
        String header = "Basic " + Base64.getEncoder().encodeToString(new byte[] {(byte) 0xff, ':', 'x'});
        assertThatThrownBy(() -> TokenRequestParser.fromQuery("service=s", header, "1.2.3.4"))
                .hasMessageContaining("UTF-8");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"al\rice:x", "al\nice:x", "al\u0000ice:x"})
    void fromQuery_controlCharacterInAccount_isRejected(String creds) {
        assertThatThrownBy(() -> TokenRequestParser.fromQuery("service=s", basic(creds), "1.2.3.4"))
                .isInstanceOf(InvalidTokenRequestException.class).hasMessageContaining("control character");
    }

    @Test
    void fromQuery_passwordNeverInMessage() {
        assertThatThrownBy(() -> TokenRequestParser.fromQuery("account=bob&service=s", basic("alice:hunter2"), "1.2.3.4"))
                .hasMessageNotContaining("hunter2");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"service=%zz", "service=%e", "service=%ff%fe", "service=a%00b", "service=a&service=b",
            "scope=repository%3A..%3Apull"})
    void fromQuery_badQuery_isRejected(String query) {
        assertThatThrownBy(() -> TokenRequestParser.fromQuery(query, null, "1.2.3.4"))
                .isInstanceOf(InvalidTokenRequestException.class);
    }

    @Test
    void fromQuery_64KiBQuery_isRejected() {
        assertThatThrownBy(() -> TokenRequestParser.fromQuery("service=" + "a".repeat(64 * 1024), null, "1.2.3.4"))
                .isInstanceOf(InvalidTokenRequestException.class).hasMessageContaining("longer");
    }

    @Test
    void fromQuery_thousandScopes_isRejected() {
        String q = "service=s" + "&scope=repository:a:pull".repeat(1000);
        assertThatThrownBy(() -> TokenRequestParser.fromQuery(q, null, "1.2.3.4"))
                .isInstanceOf(InvalidTokenRequestException.class);
    }

    @Test
    void fromQuery_moreScopesThanAllowed_namesTheLimit() {
        String q = "service=s" + "&scope=r:a:pull".repeat(TokenRequest.MAX_SCOPES + 1);
        assertThatThrownBy(() -> TokenRequestParser.fromQuery(q, null, "1.2.3.4"))
                .isInstanceOf(InvalidTokenRequestException.class).hasMessageContaining("too many scopes");
    }

    @Test
    void fromForm_passwordGrant_parses() {
        TokenRequest r = TokenRequestParser.fromForm(
                "grant_type=password&username=alice&password=p%40ss&service=s&client_id=containerd"
                        + "&access_type=offline&scope=repository%3Aa%3Apull+repository%3Ab%3Apush", "1.2.3.4");
        assertThat(r.credentials().user()).isEqualTo("alice");
        assertThat(r.credentials().password().matches("p@ss")).isTrue();
        assertThat(r.offline()).isTrue();
        assertThat(r.oauthForm()).isTrue();
        assertThat(r.scopes()).hasSize(2);
    }

    @Test
    void fromForm_refreshGrant_carriesToken() {
        TokenRequest r = TokenRequestParser.fromForm("grant_type=refresh_token&refresh_token=abc&service=s&client_id=c", "1.2.3.4");
        assertThat(r.isRefresh()).isTrue();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"grant_type=client_credentials&client_id=c", "grant_type=password&client_id=c",
            "grant_type=refresh_token&client_id=c", "username=a&password=b&client_id=c", "grant_type=password&username=a"})
    void fromForm_badGrant_isRejected(String body) {
        assertThatThrownBy(() -> TokenRequestParser.fromForm(body, "1.2.3.4")).isInstanceOf(InvalidTokenRequestException.class);
    }
}
