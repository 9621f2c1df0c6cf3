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

    /** Which Portcullis packages each package may use; keep in step with docs/architecture.md. */
    static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("config", Set.of()),
            Map.entry("image", Set.of()),
            Map.entry("pki", Set.of("config")),
            Map.entry("store", Set.of("config")),
            Map.entry("audit", Set.of("config", "store")),
            Map.entry("admin", Set.of("store")),
            Map.entry("registryauth", Set.of("config", "image", "pki", "audit", "store")),
            Map.entry("lint", Set.of("config", "image")),
            Map.entry("attest", Set.of("config", "image", "pki", "store", "audit")),
            Map.entry("policy", Set.of("config", "image", "attest", "audit", "store")),
            Map.entry("server", Set.of("config", "image", "pki", "store", "audit", "admin", "registryauth", "lint",
                    "attest", "policy")),
            Map.entry("cli", Set.of("config", "image", "pki", "store", "audit", "admin", "registryauth", "lint", "attest",
                    "policy", "server")));

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
