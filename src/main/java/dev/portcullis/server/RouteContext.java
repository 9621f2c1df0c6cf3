package dev.portcullis.server;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * What every capability's routes share: the client address rule, the metrics, the admin API's
 * credential check and audited changes, the path prefix.
 */
record RouteContext(ClientAddress clientAddress, MeterRegistry metrics, AdminApi admin, String pathPrefix) {
    @Override
    public String toString() {
        return "RouteContext[pathPrefix=" + pathPrefix + "]";
    }
}
