package dev.portcullis.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageReferenceTest {
    private static final String D = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "nginx                       | docker.io       | library/nginx | -      | -",
            "nginx:1.25                  | docker.io       | library/nginx | 1.25   | -",
            "user/app:v1                 | docker.io       | user/app      | v1     | -",
            "index.docker.io/user/app    | docker.io       | user/app      | -      | -",
            "localhost/app               | localhost       | app           | -      | -",
            "localhost:5000/a/b/c:2      | localhost:5000  | a/b/c         | 2      | -",
            "ghcr.io/o/r@" + D + "       | ghcr.io         | o/r           | -      | " + D,
            "127.0.0.1:5000/x:t@" + D + "| 127.0.0.1:5000  | x             | t      | " + D,
            "[::1]:5000/x                | [::1]:5000      | x             | -      | -",
            "node:10.4.8-alpine3.18      | docker.io       | library/node  | 10.4.8-alpine3.18 | -",
    })
    void parse_validReference_normalisesAsDockerDoes(String text, String registry, String repo, String tag, String digest) {
        ImageReference ref = ImageReference.parse(text.trim());
        assertThat(ref.registry()).isEqualTo(registry);
        assertThat(ref.repository()).isEqualTo(repo);
        assertThat(ref.tag()).isEqualTo(tag);
        assertThat(ref.digestOptional().map(Digest::toString).orElse(null)).isEqualTo(digest);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"", "app/UPPER", "a/../b", "a//b", "app:", "app:-tag", "app@sha256:abc",
            "app@md5:" + "0123456789abcdef0123456789abcdef", "a b", "app\nx", "-app", "app/"})
    void parse_invalidReference_throwsWithReason(String text) {
        assertThatThrownBy(() -> ImageReference.parse(text))
                .isInstanceOf(InvalidReferenceException.class)
                .hasMessageNotContaining("\n");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"team/app", "a", "a.b/c_d/e__f/g-h", "x/y/z/w"})
    void validateRepository_validName_accepts(String name) {
        ImageReference.validateRepository(name);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"..", "a/..", "a/./b", "A", "a_", ".a", "a/", "/a", "a:b"})
    void validateRepository_invalidName_rejects(String name) {
        assertThatThrownBy(() -> ImageReference.validateRepository(name)).isInstanceOf(InvalidReferenceException.class);
    }
}
