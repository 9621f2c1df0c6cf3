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

/** The package and library maps of docs/architecture.md, enforced as written there. */
class ArchitectureTest {
    private static final String ROOT = "dev.portcullis.";
    private static final java.nio.file.Path DOC = java.nio.file.Path.of("docs/architecture.md");

    /**
     * Which Portcullis packages each package may use, and which package may use each library: read from
     * the two tables of docs/architecture.md, so that the rules enforced are the ones documented, and a
     * new capability is one row there.
     */
    private static Map<String, Set<String>> allowed;
    private static Map<String, String> libraries;

    /** The house rules the library table must keep: Helidon only in server, picocli only in cli, JDBC in persistence classes. */
    private static final Map<String, String> HOUSE_LIBRARIES = Map.of(
            "io.helidon", "server",
            "picocli", "cli",
            "java.sql", "persistence classes");

    /**
     * Persistence classes: {@code store}, and classes named {@code *Store}, {@code *Rows}, {@code Jdbc*},
     * {@code V<issue>_<n>__*} (Java migrations), {@code RefreshEpochs} or {@code AdminTokens}.
     */
    static boolean isPersistence(com.tngtech.archunit.core.domain.JavaClass c) {
        // Nested and local classes count as the class they are written in.
        String name = c.getName().substring(c.getName().lastIndexOf('.') + 1);
        String top = name.contains("$") ? name.substring(0, name.indexOf('$')) : name;
        return c.getPackageName().equals(ROOT + "store") || top.endsWith("Store") || top.endsWith("Rows")
                || top.endsWith("Changes")
                || top.startsWith("Jdbc") || top.matches("V\\d+_\\d+__\\w+") || top.equals("RefreshEpochs")
                || top.equals("AdminTokens");
    }

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() throws java.io.IOException {
        allowed = DocTables.packages(DOC);
        libraries = DocTables.libraries(DOC);
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
            Set<String> mayUse = allowed.get(from);
            if (mayUse == null) {
                violations.add("package " + from + " is not in the architecture map");
                continue;
            }
            for (Dependency d : javaClass.getDirectDependenciesFromSelf()) {
                String to = topPackage(d.getTargetClass().getPackageName());
                if (to != null && !to.equals(from) && !mayUse.contains(to)) {
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
                for (Map.Entry<String, String> lib : libraries.entrySet()) {
                    if (!(target.equals(lib.getKey()) || target.startsWith(lib.getKey() + "."))) {
                        continue;
                    }
                    boolean ok = lib.getValue().equals("persistence classes") ? isPersistence(javaClass)
                            : lib.getValue().equals(from);
                    if (!ok) {
                        violations.add(lib.getKey() + " outside " + lib.getValue() + ": " + d.getDescription());
                    }
                }
            }
        }
        assertThat(new TreeSet<>(violations)).isEmpty();
    }

    @Test
    void architectureDoc_packageTable_namesEveryPackageAndOnlyThoseThatExist() {
        Set<String> existing = new TreeSet<>();
        for (var javaClass : classes) {
            String top = topPackage(javaClass.getPackageName());
            if (top != null) {
                existing.add(top);
            }
        }
        assertThat(new TreeSet<>(allowed.keySet())).isEqualTo(existing);
        allowed.values().forEach(uses -> assertThat(existing).containsAll(uses));
    }

    @Test
    void architectureDoc_libraryTable_keepsTheHouseRulesAndNamesRealPackages() {
        assertThat(libraries).containsAllEntriesOf(HOUSE_LIBRARIES);
        libraries.values().stream().filter(where -> !where.equals("persistence classes"))
                .forEach(where -> assertThat(allowed).containsKey(where));
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
