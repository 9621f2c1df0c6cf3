package dev.portcullis.server;

import dev.portcullis.config.Secret;
import io.micrometer.core.instrument.MeterRegistry;

/** What every capability's routes share: the client address rule, the metrics, the admin credential, the path prefix. */
record RouteContext(ClientAddress clientAddress, MeterRegistry metrics, Secret adminToken, String pathPrefix) {
    @Override
    public String toString() {
        return "RouteContext[pathPrefix=" + pathPrefix + "]";
    }
}
