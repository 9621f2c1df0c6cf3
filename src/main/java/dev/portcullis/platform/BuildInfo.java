package dev.portcullis.platform;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * Which build is running: the version the build wrote into the classes and the commit it was built
 * from. {@code portcullis --version} and the {@code portcullis_build_info} metric both read it, so
 * the two always name the same build.
 *
 * @param version the project's version ({@code 0.1.0-SNAPSHOT}), {@code development} without a build
 * @param commit the abbreviated commit, {@code -dirty} with uncommitted changes; {@code unknown} when
 *               built outside a git checkout
 */
public record BuildInfo(String version, String commit) {
    private static final BuildInfo CURRENT = read();

    public BuildInfo {
        if (version == null || version.isBlank() || commit == null || commit.isBlank()) {
            throw new IllegalArgumentException("a build has a version and a commit");
        }
    }

    /** The build these classes came from. */
    public static BuildInfo current() {
        return CURRENT;
    }

    /** {@code portcullis 0.1.0-SNAPSHOT (commit 1a2b3c4)}. */
    public String line() {
        return "portcullis " + version + " (commit " + commit + ")";
    }

    private static BuildInfo read() {
        String version = load("/portcullis-version.properties").getProperty("version", "");
        // Unfiltered (run from sources without the build), the file still holds the placeholder.
        if (!version.matches("[0-9A-Za-z.+_-]+")) {
            version = "development";
        }
        Properties git = load("/portcullis-git.properties");
        String id = git.getProperty("git.commit.id.abbrev", "");
        String commit = id.matches("[0-9a-f]{4,40}") ? id + ("true".equals(git.getProperty("git.dirty")) ? "-dirty" : "") : "unknown";
        return new BuildInfo(version, commit);
    }

    private static Properties load(String resource) {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream(resource)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // an unreadable file names no version: the defaults above say so
        }
        return p;
    }
}
