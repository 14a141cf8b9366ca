package org.jvirtd.api.nwfilter;

import java.util.List;
import java.util.UUID;

import org.osgi.annotation.versioning.ProviderType;

/**
 * libvirt's network filter API (virNWFilter*, virNWFilterBinding*), what virsh's nwfilter-* commands, the RPC
 * server and hypervisor drivers use. Every method throws {@link org.jvirtd.api.VirtException} with libvirt's code
 * and message on failure. Read-only connections are refused by the caller.
 */
@ProviderType
public interface NwFilters {
    /** virNWFilterDefineXML's flag: validate the document against libvirt's schema rules first. */
    int DEFINE_VALIDATE = 1;

    /** virConnectListAllNWFilters: every filter, sorted by name (no filter flags exist). */
    List<NwFilterRef> listAll(int flags);

    NwFilterRef lookupByName(String name);

    NwFilterRef lookupByUuid(UUID uuid);

    /** virNWFilterDefineXMLFlags: defines a filter or redefines the one of that name and UUID. */
    NwFilterRef define(String xml, int flags);

    /** virNWFilterUndefine: refused while a binding uses the filter, directly or through a reference. */
    void undefine(NwFilterRef filter);

    /** virNWFilterGetXMLDesc. */
    String xml(NwFilterRef filter, int flags);

    /** virConnectListAllNWFilterBindings: every binding, sorted by port device. */
    List<NwFilterBindingRef> listAllBindings(int flags);

    NwFilterBindingRef lookupBinding(String portDev);

    /** virNWFilterBindingCreateXML: instantiates the filter's rules on the port device and keeps the binding. */
    NwFilterBindingRef createBinding(String xml, int flags);

    /** virNWFilterBindingDelete: removes the rules from the port device and forgets the binding. */
    void deleteBinding(NwFilterBindingRef binding);

    /** virNWFilterBindingGetXMLDesc. */
    String bindingXml(NwFilterBindingRef binding, int flags);
}
