package dev.portcullis.inventory;

import java.util.List;
import java.util.Optional;

/** Placeholder. */
public final class GceSource implements Source {
    public GceSource(SourceSettings.Gce settings) {}

    @Override
    public String kind() {
        return "gce";
    }

    @Override
    public Optional<List<Cidr>> fetch(Pacer pacer) {
        throw new SourceException("not yet");
    }
}
