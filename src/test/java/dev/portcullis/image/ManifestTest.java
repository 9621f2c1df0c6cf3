package dev.portcullis.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Manifests in the shapes the OCI image spec and Docker's schema 2 document; anything else refused naming it. */
class ManifestTest {
    private static final String L1 = "sha256:" + "1".repeat(64);
    private static final String L2 = "sha256:" + "2".repeat(64);
    private static final String C = "sha256:" + "c".repeat(64);
    private static final Digest SELF = Digest.parse("sha256:" + "f".repeat(64));

    private static Manifest parse(String contentType, String json) {
        return Manifest.parse(SELF, contentType, json.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            application/vnd.docker.distribution.manifest.v2+json | application/vnd.docker.distribution.manifest.v2+json
            application/vnd.oci.image.manifest.v1+json           | application/vnd.oci.image.manifest.v1+json
            ''                                                   | application/vnd.oci.image.manifest.v1+json
            """)
    void parse_imageManifest_configAndLayersInOrder(String mediaType, String expected) {
        String field = mediaType.isEmpty() ? "" : "\"mediaType\": \"" + mediaType + "\",";
        Manifest m = parse("", """
                {"schemaVersion": 2, %s "config": {"mediaType": "x", "size": 1, "digest": "%s"},
                 "layers": [{"digest": "%s", "size": 1}, {"digest": "%s", "size": 1}],
                 "annotations": {"org.opencontainers.image.base.digest": "%s"}}""".formatted(field, C, L1, L2, L1));
        assertThat(m).isInstanceOfSatisfying(Manifest.Image.class, i -> {
            assertThat(i.mediaType()).isEqualTo(expected);
            assertThat(i.config()).hasToString(C);
            assertThat(i.layers()).extracting(Digest::toString).containsExactly(L1, L2);
            assertThat(i.annotations()).containsEntry("org.opencontainers.image.base.digest", L1);
        });
    }

    @ParameterizedTest
    @CsvSource(textBlock = """
            application/vnd.oci.image.index.v1+json
            application/vnd.docker.distribution.manifest.list.v2+json
            """)
    void parse_indexOrList_oneChildPerPlatformAttestationsLeftOut(String mediaType) {
        Manifest m = parse(mediaType, """
                {"schemaVersion": 2, "manifests": [
                  {"digest": "%s", "size": 1, "platform": {"os": "linux", "architecture": "arm64", "variant": "v8"}},
                  {"digest": "%s", "size": 1, "platform": {"os": "unknown", "architecture": "unknown"}}]}""".formatted(L1, L2));
        assertThat(m).isInstanceOfSatisfying(Manifest.Index.class, i -> {
            assertThat(i.mediaType()).isEqualTo(mediaType);
            assertThat(i.children()).singleElement().satisfies(c -> assertThat(c.platform()).hasToString("linux/arm64/v8"));
        });
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            application/vnd.docker.distribution.manifest.v1+prettyjws | {"schemaVersion": 1}                               | is Docker schema 1
            application/vnd.cncf.helm.config.v1+json                  | {"schemaVersion": 2}                               | has media type 'application/vnd.cncf.helm.config.v1+json'
            ''                                                        | [1]                                                | is not a JSON object
            ''                                                        | {"a": 1, "a": 2}                                   | is not JSON
            application/vnd.oci.image.manifest.v1+json                | {"config": {"digest": "md5:1"}, "layers": []}      | the config has no valid digest
            application/vnd.oci.image.index.v1+json                   | {"manifests": 3}                                   | has no manifests list
            """)
    void parse_notAnImageOrIndex_refusedNamingWhy(String contentType, String json, String message) {
        assertThatThrownBy(() -> parse(contentType, json)).isInstanceOf(RegistryException.class).hasMessageContaining(message);
    }

    @Test
    void configParse_umociConfig_platformDiffIdsLabels() {
        ImageConfig c = ImageConfig.parse("""
                {"created": "2026-12-01T00:00:00Z", "architecture": "amd64", "os": "linux",
                 "config": {"Labels": {"org.opencontainers.image.vendor": "team-a"}},
                 "rootfs": {"type": "layers", "diff_ids": ["%s"]}}""".formatted(L1).getBytes(StandardCharsets.UTF_8));
        assertThat(c.platform()).hasToString("linux/amd64");
        assertThat(c.diffIds()).extracting(Digest::toString).containsExactly(L1);
        assertThat(c.labels()).containsEntry("org.opencontainers.image.vendor", "team-a");
        assertThatThrownBy(() -> ImageConfig.parse("{\"os\": \"linux\"}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("names no valid platform");
    }
}
