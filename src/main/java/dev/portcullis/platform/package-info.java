/**
 * The seam between the control plane and its capabilities: {@link dev.portcullis.platform.Capability}
 * (settings, migrations, start) and {@link dev.portcullis.platform.Module} (readiness, background
 * work, contributions). Domain packages implement it; {@code server} runs the list.
 */
package dev.portcullis.platform;
