package org.jvirtd.core.internal;

import org.jvirtd.api.VirtException;
import org.jvirtd.model.domain.DomainEditor;
import org.jvirtd.model.domain.DomainXml;

/**
 * Puts an edited definition in place: the live one into the domain's status file, the persistent one into its
 * config file (restored in memory when the file cannot be written).
 */
final class DefinitionWrites {
    private DefinitionWrites() {
    }

    static void live(DriverDomains domains, DomainObject d, DomainEditor running) {
        d.setLiveXml(running.format(d.id(), DomainXml.SECURE | DomainXml.STATUS));
        domains.store().writeStatus(d);
    }

    static void persistent(DriverDomains domains, DomainObject d, DomainEditor editor) {
        String previous = d.persistentXml();
        d.setPersistentXml(editor.format(-1, DomainStore.STORED_FORM));
        try {
            domains.store().writeConfig(d);
        } catch (VirtException e) {
            d.setPersistentXml(previous);
            throw e;
        }
    }
}
