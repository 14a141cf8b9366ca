package org.jvirtd.core.internal;

import org.jvirtd.core.config.DaemonLogging;
import org.osgi.service.component.annotations.Component;

/** The running daemon's log filters and outputs as a service, for the admin socket. */
@Component(service = DaemonLogging.class)
public final class LogControl implements DaemonLogging {
    @Override
    public String filters() {
        return LogSettings.filters();
    }

    @Override
    public String outputs() {
        return LogSettings.outputs();
    }

    @Override
    public void setFilters(String filters) {
        LogSettings.setFilters(filters);
    }

    @Override
    public void setOutputs(String outputs) {
        LogSettings.setOutputs(outputs);
    }
}
