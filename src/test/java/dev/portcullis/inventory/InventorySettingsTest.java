package dev.portcullis.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.config.ConfigDocument;
import dev.portcullis.config.ConfigException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InventorySettingsTest {
    private static InventorySettings read(String sets) {
        return InventorySettings.from(ConfigDocument.parse("inventory:\n  sets:\n" + sets, "inv.yml", Map.of()).root());
    }

    @Test
    void from_everyKindOfSource_readsThemWithDefaults() {
        InventorySettings s = read("""
                    - {name: build-hosts, file: /etc/hosts.txt}
                    - {name: cmdb, http: {url: "https://cmdb.example/api/hosts", pointer: /hosts}, every: 5m, max_age: 1h}
                    - {name: gke-prod, gce: {projects: [my-project-1], labels: {goog-k8s-cluster-name: prod}, addresses: [internal, external]}}
                    - {name: aws-batch, ec2: {regions: [us-east-1, eu-west-1], roles: ["arn:aws:iam::111122223333:role/inventory"], tags: {team: batch}}}
                """);
        assertThat(s.names()).containsExactlyInAnyOrder("build-hosts", "cmdb", "gke-prod", "aws-batch");
        assertThat(s.sets().get(0).schedule()).isEqualTo(new Schedule(Duration.ofSeconds(10), 0.1, Duration.ofSeconds(100), 0,
                Duration.ofMinutes(5)));
        assertThat(s.sets().get(1).schedule().every()).isEqualTo(Duration.ofMinutes(5));
        SourceSettings.Gce gce = (SourceSettings.Gce) s.sets().get(2).source();
        assertThat(gce.apiUrl().toString()).isEqualTo("https://compute.googleapis.com/compute/v1/");
        assertThat(gce.internal() && gce.external()).isTrue();
        SourceSettings.Ec2 ec2 = (SourceSettings.Ec2) s.sets().get(3).source();
        assertThat(ec2.privateAddresses()).isTrue();
        assertThat(ec2.publicAddresses()).isFalse();
        assertThat(s.sets().get(3).schedule().rateLimit()).isEqualTo(10);
    }

    /** One bad set a row, and what the error says (with the file and line). */
    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', value = {
            "{name: Bad_Name, file: /x}                                 | is not a set name",
            "{name: a, file: /x, http: {url: 'http://h/'}}               | exactly one source of file, http, gce, ec2, kubernetes; it has file and http",
            "{name: a}                                                  | it has none",
            "{name: a, file: /x, every: 10m, max_age: 1m}               | max_age must be at least every",
            "{name: a, file: /x, jitter: 1.5}                           | must be a fraction below 1",
            "{name: a, file: /x, rate_limit: fast}                      | must be a number, 0 or more",
            "{name: a, file: /x, colour: red}                           | colour",
            "{name: a, http: {}}                                        | url is required",
            "{name: a, http: {url: 'ftp://h/'}}                         | must be an http or https URL",
            "{name: a, http: {url: 'http://h/', pointer: hosts}}        | must be a JSON Pointer",
            "{name: a, gce: {}}                                         | projects is required",
            "{name: a, gce: {projects: [X]}}                            | is not a GCP project id",
            "{name: a, gce: {projects: [my-project], addresses: [nat]}} | 'nat' is not one of external, internal",
            "{name: a, ec2: {regions: [mars-1]}}                        | is not an AWS region",
            "{name: a, ec2: {regions: [us-east-1], roles: [admin]}}     | is not an IAM role ARN",
    })
    void from_badSet_stopsTheStartNamingIt(String set, String problem) {
        assertThatThrownBy(() -> read("    - " + set + "\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("inv.yml").hasMessageContaining(problem);
    }

    @Test
    void from_twoSetsOfOneName_isRefused() {
        assertThatThrownBy(() -> read("    - {name: a, file: /x}\n    - {name: a, file: /y}\n"))
                .hasMessageContaining("'a' names two sets");
    }
}
