package dev.portcullis.testbed;

import java.nio.file.Path;

/** Builds small OCI images without a Docker daemon (umoci), as TESTBED.md describes. */
public final class Images {
    private Images() {}

    /** An OCI layout at {@code dir/oci} holding {@code base}: busybox in one layer. Returns the layout ref. */
    public static String busyboxLayout(Path dir) {
        Processes.ok(dir, "umoci", "init", "--layout", "oci");
        Processes.ok(dir, "umoci", "new", "--image", "oci:base");
        Processes.ok(dir, "umoci", "unpack", "--rootless", "--image", "oci:base", "b");
        Processes.ok(dir, "mkdir", "-p", "b/rootfs/bin");
        Processes.ok(dir, "cp", "/bin/busybox", "b/rootfs/bin/");
        Processes.ok(dir, "umoci", "repack", "--image", "oci:base", "b");
        Processes.ok(dir, "umoci", "config", "--image", "oci:base", "--config.entrypoint", "/bin/busybox");
        return "oci:" + dir.resolve("oci") + ":base";
    }
}
