package dev.portcullis.inventory;

import java.util.List;
import java.util.Optional;

/** Where one set's addresses come from; {@link #fetch} is called by its refresh, one call at a time. */
public sealed interface Source permits FileSource, HttpJsonSource, GceSource, Ec2Source, KubernetesSource {
    /** The kind of source, for metrics and status: {@code file}, {@code http}, {@code gce}, {@code ec2}, {@code kubernetes}. */
    String kind();

    /**
     * The entries now, or empty when the source says nothing changed since the last fetch; every
     * request it sends waits for {@code pacer} first. A failure is a {@link SourceException}.
     */
    Optional<List<Cidr>> fetch(Pacer pacer);

    /** Releases what it holds (clients, connections); called once, at shutdown. */
    default void close() {}
}
