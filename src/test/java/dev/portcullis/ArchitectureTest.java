package dev.portcullis;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The package map of docs/architecture.md, enforced. */
class ArchitectureTest {
    private static final String ROOT = "dev.portcullis.";
    private static final java.nio.file.Path DOC = java.nio.file.Path.of("docs/architecture.md");

    /** Which Portcullis packages each package may use; keep in step with docs/architecture.md. */
    static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("config", Set.of()),
            Map.entry("image", Set.of()),
            Map.entry("pki", Set.of("config")),
            Map.entry("store", Set.of("config")),
            Map.entry("audit", Set.of("store")),
            Map.entry("platform", Set.of("config", "store", "audit")),
            Map.entry("registryauth", Set.of("config", "image", "pki", "audit", "store", "platform")),
            Map.entry("lint", Set.of("config", "image")),
            Map.entry("attest", Set.of("config", "image", "pki", "store", "audit")),
            Map.entry("policy", Set.of("config", "image", "attest", "audit", "store", "platform")),
            Map.entry("server", Set.of("config", "image", "pki", "store", "audit", "platform", "registryauth", "lint",
                    "attest", "policy")),
            Map.entry("cli", Set.of("config", "image", "pki", "store", "audit", "platform", "registryauth", "lint", "attest",
                    "policy", "server")));

    /**
     * Which classes may use a library (by package prefix of the library): Helidon only in {@code server},
     * picocli only in {@code cli}, the pool and the migration tool only in {@code store}, JDBC only in
     * persistence classes. Keep in step with the second table of docs/architecture.md.
     */
    static final Map<String, String> LIBRARIES = Map.of(
            "io.helidon", "server",
            "picocli", "cli",
            "com.zaxxer.hikari", "store",
            "org.flywaydb", "store",
            "java.sql", "persistence classes",
            "javax.sql", "persistence classes");

    /**
     * Persistence classes: {@code store}, and classes named {@code *Store}, {@code *Rows}, {@code Jdbc*},
     * {@code V<issue>_<n>__*} (Java migrations) or {@code RefreshEpochs}.
     */
    static boolean isPersistence(com.tngtech.archunit.core.domain.JavaClass c) {
        // Nested and local classes count as the class they are written in.
        String name = c.getName().substring(c.getName().lastIndexOf('.') + 1);
        String top = name.contains("$") ? name.substring(0, name.indexOf('$')) : name;
        return c.getPackageName().equals(ROOT + "store") || top.endsWith("Store") || top.endsWith("Rows")
                || top.startsWith("Jdbc") || top.matches("V\\d+_\\d+__\\w+") || top.equals("RefreshEpochs");
    }

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.portcullis");
    }

    @Test
    void packages_whenScanned_useOnlyThePackagesTheMapAllows() {
        List<String> violations = new ArrayList<>();
        for (var javaClass : classes) {
            String from = topPackage(javaClass.getPackageName());
            if (from == null) {
                continue;
            }
            Set<String> allowed = ALLOWED.get(from);
            if (allowed == null) {
                violations.add("package " + from + " is not in the architecture map");
                continue;
            }
            for (Dependency d : javaClass.getDirectDependenciesFromSelf()) {
                String to = topPackage(d.getTargetClass().getPackageName());
                if (to != null && !to.equals(from) && !allowed.contains(to)) {
                    violations.add(from + " -> " + to + ": " + d.getDescription());
                }
            }
        }
        assertThat(new TreeSet<>(violations)).isEmpty();
    }

    @Test
    void libraries_whenScanned_areUsedOnlyWhereTheMapAllows() {
        List<String> violations = new ArrayList<>();
        for (var javaClass : classes) {
            String from = topPackage(javaClass.getPackageName());
            for (Dependency d : javaClass.getDirectDependenciesFromSelf()) {
                String target = d.getTargetClass().getPackageName();
                for (Map.Entry<String, String> lib : LIBRARIES.entrySet()) {
                    if (!(target.equals(lib.getKey()) || target.startsWith(lib.getKey() + "."))) {
                        continue;
                    }
                    boolean allowed = lib.getValue().equals("persistence classes") ? isPersistence(javaClass)
                            : lib.getValue().equals(from);
                    if (!allowed) {
                        violations.add(lib.getKey() + " outside " + lib.getValue() + ": " + d.getDescription());
                    }
                }
            }
        }
        assertThat(new TreeSet<>(violations)).isEmpty();
    }

    @Test
    void architectureDoc_packageTable_isTheMapTheseRulesEnforce() throws Exception {
        assertThat(DocTables.packages(DOC)).isEqualTo(ALLOWED);
    }

    @Test
    void architectureDoc_libraryTable_isTheMapTheseRulesEnforce() throws Exception {
        assertThat(DocTables.libraries(DOC)).isEqualTo(LIBRARIES);
    }

    @Test
    void packages_whenSliced_haveNoCycles() {
        slices().matching("dev.portcullis.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void domainPackages_whenScanned_neverImportServerOrCli() {
        noClasses().that().resideOutsideOfPackages("..server..", "..cli..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.portcullis.server..", "dev.portcullis.cli..")
                .check(classes);
    }

    @Test
    void productionCode_whenScanned_neverPrintsStackTracesOrExitsOutsideCli() {
        noClasses().that().resideOutsideOfPackage("dev.portcullis.cli..")
                .should().callMethod(Throwable.class, "printStackTrace")
                .orShould().callMethod(System.class, "exit", int.class)
                .check(classes);
    }

    private static String topPackage(String pkg) {
        if (!pkg.startsWith(ROOT)) {
            return null;
        }
        String rest = pkg.substring(ROOT.length());
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }
}
