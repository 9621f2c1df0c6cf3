package dev.portcullis.server;

import dev.portcullis.platform.Capability;
import dev.portcullis.platform.Module;
import io.helidon.webserver.http.HttpService;
import java.util.List;
import java.util.function.Supplier;

/**
 * A capability with its HTTP side: the Helidon services that answer for it, built over its module.
 * The module is looked up per request: the listener starts while the capabilities are still starting.
 */
record Mounted<S, M extends Module>(Capability<S, M> capability, Routes<M> routes) {
    /** The capability's Helidon services. */
    interface Routes<M> {
        List<HttpService> services(Supplier<M> module, RouteContext context);
    }
}
