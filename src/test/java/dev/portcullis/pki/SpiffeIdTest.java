package dev.portcullis.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** SPIFFE IDs read as the SPIFFE ID standard allows them, and refused with the reason otherwise. */
class SpiffeIdTest {
    @ParameterizedTest
    @CsvSource({
            "spiffe://example.org/ci/deployer, example.org, /ci/deployer",
            "spiffe://prod.example-1_x.org/a.b-c_d, prod.example-1_x.org, /a.b-c_d",
            "spiffe://example.org, example.org, ''",
    })
    void parse_valid_domainAndPath(String text, String domain, String path) {
        SpiffeId id = SpiffeId.parse(text);
        assertThat(id.trustDomain()).isEqualTo(domain);
        assertThat(id.path()).isEqualTo(path);
        assertThat(id).hasToString(text);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "https://example.org/x | must start with spiffe://",
            "spiffe:///x | no trust domain",
            "spiffe://Example.org/x | only lower-case",
            "spiffe://example.org:443/x | may not contain ':'",
            "spiffe://user@example.org/x | may not contain '@'",
            "spiffe://example.org/x?y | may not contain '?'",
            "spiffe://example.org/x#y | may not contain '#'",
            "spiffe://example.org/%2e | may not contain '%'",
            "spiffe://example.org/ | empty segment or a trailing '/'",
            "spiffe://example.org//x | empty segment",
            "spiffe://example.org/a/../b | a '..' segment",
            "spiffe://example.org/./b | a '.' segment",
            "spiffe://example.org/a b | only letters",
    })
    void parse_invalid_refusedNamingWhy(String text, String reason) {
        assertThatThrownBy(() -> SpiffeId.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(reason);
    }
}
