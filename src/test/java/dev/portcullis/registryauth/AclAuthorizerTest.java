package dev.portcullis.registryauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.config.ConfigDocument;
import dev.portcullis.config.ConfigException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AclAuthorizerTest {

    private static AclAuthorizer acl(String yaml) {
        return AclAuthorizer.from(ConfigDocument.parse("acl:\n" + yaml, "acl.yml", Map.of()).root().sectionList("acl"));
    }

    private static AuthzRequest req(String account, String type, String name, String ip, Map<String, List<String>> labels) {
        return new AuthzRequest(account, type, name, "registry.local", ip, Set.of("pull", "push"), labels);
    }

    /** One condition per row: does the entry match the request (account, name, ip, labels team=[red,blue])? */
    @ParameterizedTest(name = "[{index}] {0} vs {1}/{2}/{3}")
    @CsvSource(delimiter = '|', value = {
            // condition                                  | account | name             | ip           | matches
            "{account: alice}                              | alice   | a                | 10.0.0.1     | true",
            "{account: alice}                              | alicex  | a                | 10.0.0.1     | false",
            "{account: 'al*'}                              | alice   | a                | 10.0.0.1     | true",
            "{account: 'al?ce'}                            | alice   | a                | 10.0.0.1     | true",
            "{account: '[a-c]lice'}                        | blice   | a                | 10.0.0.1     | true",
            "{account: '[^a-c]lice'}                       | alice   | a                | 10.0.0.1     | false",
            "{name: 'team/*'}                              | x       | team/app         | 10.0.0.1     | true",
            "{name: 'team/*'}                              | x       | team/sub/app     | 10.0.0.1     | false",
            "{name: 'team/*/*'}                            | x       | team/sub/app     | 10.0.0.1     | true",
            "{name: '*'}                                   | x       | a/b              | 10.0.0.1     | false",
            "{name: '/^team\\/.*$/'}                       | x       | team/sub/app     | 10.0.0.1     | true",
            "{name: '/sub/'}                               | x       | team/sub/app     | 10.0.0.1     | true",
            "{name: '/^sub/'}                              | x       | team/sub/app     | 10.0.0.1     | false",
            "{name: '${account}/*'}                        | alice   | alice/app        | 10.0.0.1     | true",
            "{name: '${account}/*'}                        | alice   | bob/app          | 10.0.0.1     | false",
            "{name: '${account}/*'}                        | a*      | ab/app           | 10.0.0.1     | false",
            "{name: '/^${account}\\/.+$/'}                 | a.b     | axb/app          | 10.0.0.1     | false",
            "{name: '/^${account}\\/.+$/'}                 | a.b     | a.b/app          | 10.0.0.1     | true",
            "{account: '/^(\\w+)-ci$/', name: '${account:1}/*'} | web-ci | web/app       | 10.0.0.1     | true",
            "{account: '/^(\\w+)-ci$/', name: '${account:1}/*'} | web-ci | db/app        | 10.0.0.1     | false",
            "{name: '${labels:team}/*'}                    | x       | blue/app         | 10.0.0.1     | true",
            "{name: '${labels:team}/*'}                    | x       | green/app        | 10.0.0.1     | false",
            "{name: '${labels:missing}/*'}                 | x       | /app             | 10.0.0.1     | false",
            "{labels: {team: red}}                         | x       | a                | 10.0.0.1     | true",
            "{labels: {team: 'gr*'}}                       | x       | a                | 10.0.0.1     | false",
            "{labels: {nope: '*'}}                         | x       | a                | 10.0.0.1     | false",
            "{ip: 10.0.0.0/8}                              | x       | a                | 10.1.2.3     | true",
            "{ip: 10.0.0.0/8}                              | x       | a                | 11.1.2.3     | false",
            "{ip: 10.0.0.1}                                | x       | a                | 10.0.0.1     | true",
            "{ip: 10.0.0.1}                                | x       | a                | 10.0.0.2     | false",
            "{ip: '10.0.0.0/8'}                            | x       | a                | ::ffff:10.0.0.9 | true",
            "{ip: 'fd00::/8'}                              | x       | a                | fd12::1      | true",
            "{ip: 'fd00::/8'}                              | x       | a                | fe80::1      | false",
            "{ip: 'fd00::/8'}                              | x       | a                | 10.0.0.1     | false",
            "{ip: 10.0.0.0/8}                              | x       | a                | localhost    | false",
            "{type: registry, name: catalog}               | x       | catalog          | 10.0.0.1     | false",
            "{}                                            | x       | a                | 10.0.0.1     | true",
    })
    void authorize_condition_matchesAsDockerAuth(String match, String account, String name, String ip, boolean matches) {
        AclAuthorizer a = acl("  - match: " + match + "\n    actions: [pull]\n");
        AuthzResult r = a.authorize(req(account, "repository", name, ip, Map.of("team", List.of("red", "blue"))));
        assertThat(r instanceof AuthzResult.Decided).isEqualTo(matches);
    }

    @Test
    void authorize_firstMatchWins_andCommentNamesTheRule() {
        AclAuthorizer a = acl("""
                  - match: {account: alice, name: secret}
                    actions: []
                    comment: nobody touches secret
                  - match: {account: alice}
                    actions: ["*"]
                """);
        assertThat(a.authorize(req("alice", "repository", "secret", "1.1.1.1", Map.of())))
                .isEqualTo(new AuthzResult.Decided(Set.of(), "acl[0] \"nobody touches secret\""));
        assertThat(a.authorize(req("alice", "repository", "other", "1.1.1.1", Map.of())))
                .isEqualTo(new AuthzResult.Decided(Set.of("*"), "acl[1]"));
        assertThat(a.authorize(req("bob", "repository", "other", "1.1.1.1", Map.of()))).isInstanceOf(AuthzResult.NoMatch.class);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "{name: '/(/'}           | [pull] | regular expression",
            "{name: '[a-'}           | [pull] | glob",
            "{ip: 10.0.0.0/33}       | [pull] | prefix length",
            "{ip: example.com}       | [pull] | not an IP",
            "{acount: a}             | [pull] | unknown key",
            "{account: a}            | -      | actions",
            "{name: '${nope}'}       | [pull] | placeholder",
    })
    void from_badEntry_namesFileAndLine(String match, String actions, String problem) {
        String yaml = "  - match: " + match + "\n" + (actions.equals("-") ? "" : "    actions: " + actions + "\n");
        assertThatThrownBy(() -> acl(yaml))
                .isInstanceOf(ConfigException.class).hasMessageContaining("acl.yml line").hasMessageContaining(problem);
    }

    @Test
    void authorize_catastrophicRegexOnCraftedName_failsClosedQuickly() {
        AclAuthorizer a = acl("  - match: {name: '/^(.*a){12}$/'}\n    actions: [pull]\n");
        char[] name = new char[30];
        Arrays.fill(name, 'a');
        String crafted = new String(name) + "!";
        assertThatThrownBy(() -> a.authorize(req("x", "repository", crafted, "1.1.1.1", Map.of())))
                .isInstanceOf(AuthServiceException.class).hasMessageContaining("too long");
    }

    private static dev.portcullis.inventory.Inventory inventory(java.nio.file.Path file) {
        return dev.portcullis.inventory.Inventory.start(dev.portcullis.inventory.InventorySettings.from(ConfigDocument.parse(
                "inventory: {sets: [{name: build-hosts, file: \"" + file + "\"}]}", "inv.yml", Map.of()).root()),
                java.time.Clock.systemUTC());
    }

    @Test
    void authorize_inventorySet_readsTheLiveSetBesideAddresses(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("hosts"), "10.0.0.0/24\n2001:db8::1\n");
        try (dev.portcullis.inventory.Inventory inv = inventory(file)) {
            AclAuthorizer a = AclAuthorizer.from(ConfigDocument.parse("""
                    acl:
                      - {match: {ip: "@inventory:build-hosts"}, actions: [pull]}
                      - {match: {ip: 192.168.0.0/16}, actions: [push]}
                    """, "acl.yml", Map.of()).root().sectionList("acl"), inv);
            assertThat(a.authorize(req("x", "repository", "a", "10.0.0.7", Map.of()))).isInstanceOf(AuthzResult.NoMatch.class);
            inv.background().forEach(w -> w.start());
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (inv.set("build-hosts").orElseThrow().expired() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(a.authorize(req("x", "repository", "a", "10.0.0.7", Map.of())))
                    .isEqualTo(new AuthzResult.Decided(Set.of("pull"), "acl[0]"));
            assertThat(a.authorize(req("x", "repository", "a", "2001:db8:0::1", Map.of())))
                    .isEqualTo(new AuthzResult.Decided(Set.of("pull"), "acl[0]"));
            assertThat(a.authorize(req("x", "repository", "a", "192.168.1.1", Map.of())))
                    .isEqualTo(new AuthzResult.Decided(Set.of("push"), "acl[1]"));
            assertThat(a.authorize(req("x", "repository", "a", "10.0.1.7", Map.of()))).isInstanceOf(AuthzResult.NoMatch.class);
            assertThat(a.authorize(req("x", "repository", "a", "not-an-ip", Map.of()))).isInstanceOf(AuthzResult.NoMatch.class);
        }
    }

    @Test
    void from_unknownInventorySet_stopsTheStartNamingTheSets(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        try (dev.portcullis.inventory.Inventory inv = inventory(dir.resolve("hosts"))) {
            assertThatThrownBy(() -> AclAuthorizer.from(ConfigDocument.parse("acl:\n  - {match: {ip: \"@inventory:gke-prod\"}, "
                    + "actions: [pull]}\n", "acl.yml", Map.of()).root().sectionList("acl"), inv))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("acl.yml line")
                    .hasMessageContaining("'@inventory:gke-prod' names no inventory set; the sets are build-hosts");
        }
        assertThatThrownBy(() -> acl("  - {match: {ip: \"@inventory:x\"}, actions: [pull]}\n"))
                .hasMessageContaining("(the inventory section has none)");
    }
}
