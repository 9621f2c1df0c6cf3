package dev.portcullis.inventory;

import java.util.List;
import java.util.Optional;

/** Placeholder. */
public final class Ec2Source implements Source {
    public Ec2Source(SourceSettings.Ec2 settings) {}

    @Override
    public String kind() {
        return "ec2";
    }

    @Override
    public Optional<List<Cidr>> fetch(Pacer pacer) {
        throw new SourceException("not yet");
    }
}
