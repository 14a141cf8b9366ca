package org.jvirtd.net.nwfilter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.Networks;
import org.jvirtd.api.nwfilter.NwFilterBindingRef;
import org.jvirtd.api.nwfilter.NwFilterRef;
import org.jvirtd.api.nwfilter.NwFilters;
import org.jvirtd.core.config.DaemonConfig;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The network filter driver (libvirt's virtnwfilterd): filters defined in libvirt's filter language, libvirt's
 * standard filters defined at the first start, and bindings that put a filter's rules on a port with ebtables.
 * Filters and bindings are kept on disk; when the bundle starts (after a daemon restart or an update) every
 * binding's rules are laid again, and deactivation leaves them in place. A binding whose filter needs {@code $IP}
 * without an {@code IP} parameter (and {@code CTRL_IP_LEARNING} not {@code none}) gets libvirt's learning rules
 * until {@link IpLearning} finds the address. Settings read from jvirtd.conf:
 * {@code network_namespace}, where the ports and so their rules live.
 */
@Component(service = NwFilters.class, immediate = true)
public final class NwFilterDriver implements NwFilters {
    private static final System.Logger LOG = System.getLogger(NwFilterDriver.class.getName());

    private final FilterFiles files;
    private final FirewallCommands firewall;
    private final Map<String, FilterDef> filters = new TreeMap<>();
    private final Map<String, BindingDef> bindings = new TreeMap<>();
    /** Addresses learned per port, kept in memory as libvirt keeps them. */
    private final Map<String, String> learnedIps = new TreeMap<>();
    private final IpLearning learning = new IpLearning(this::learned);

    @Activate
    public NwFilterDriver(@Reference DaemonConfig config) {
        this(new FilterFiles(config.paths().configDir().resolve("nwfilter"),
            config.paths().runDir().resolve("nwfilter-binding")),
            new FirewallCommands(config.settings().string("network_namespace", "")));
    }

    NwFilterDriver(FilterFiles files, FirewallCommands firewall) {
        this.files = files;
        this.firewall = firewall;
        if (files.firstStart()) {
            for (String xml : FilterFiles.standardFilters()) {
                FilterDef def = FilterXml.parse(xml).withUuid(UUID.randomUUID());
                files.saveFilter(def);
            }
        }
        files.loadFilters().forEach(def -> filters.put(def.name(), def));
        for (BindingDef loaded : files.loadBindings()) {
            boolean present = firewall.portExists(loaded.portDev());
            BindingDef binding = present ? loaded.withMacParameter() : loaded;
            bindings.put(binding.portDev(), binding);
            if (!present) {
                continue;
            }
            try {
                instantiate(binding);
            } catch (VirtException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot lay the rules of binding " + binding.portDev() + ": "
                    + e.getMessage());
            }
        }
    }

    /** The networks whose DHCP leases tell a learning port its address. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
        policyOption = ReferencePolicyOption.GREEDY)
    public void bindNetworks(Networks service) {
        learning.networks(service);
    }

    public void unbindNetworks(Networks service) {
        if (learning.networks() == service) {
            learning.networks(null);
        }
    }

    /** Stops learning; the rules stay for the next driver instance. */
    @Deactivate
    public void deactivate() {
        learning.close();
    }

    @Override
    public synchronized List<NwFilterRef> listAll(int flags) {
        VirtErrors.checkFlags(ErrorDomain.NWFILTER, flags, 0, "nwfilterConnectListAllNWFilters");
        return filters.values().stream().map(NwFilterDriver::ref).toList();
    }

    @Override
    public synchronized NwFilterRef lookupByName(String name) {
        return ref(byName(name));
    }

    @Override
    public synchronized NwFilterRef lookupByUuid(UUID uuid) {
        return ref(byUuid(uuid));
    }

    @Override
    public synchronized NwFilterRef define(String xml, int flags) {
        VirtErrors.checkFlags(ErrorDomain.NWFILTER, flags, DEFINE_VALIDATE, "nwfilterDefineXMLFlags");
        FilterDef def = FilterXml.parse(xml);
        FilterDef sameName = filters.get(def.name());
        FilterDef sameUuid = def.uuid() == null ? null
            : filters.values().stream().filter(f -> f.uuid().equals(def.uuid())).findFirst().orElse(null);
        if (sameUuid != null && !sameUuid.name().equals(def.name())) {
            throw VirtErrors.operationFailed(ErrorDomain.NWFILTER, "filter with same UUID but different name ('"
                + sameUuid.name() + "') already exists");
        }
        FilterDef stored = def.uuid() != null ? def : def.withUuid(UUID.randomUUID());
        if (sameName != null && !sameName.uuid().equals(stored.uuid())) {
            throw VirtErrors.operationFailed(ErrorDomain.NWFILTER, "filter '" + def.name()
                + "' already exists with uuid " + sameName.uuid());
        }
        if (def.name().contains("/")) {
            throw VirtErrors.system(ErrorDomain.NWFILTER, "Failed to create file '" + def.name()
                + ".xml.new': No such file or directory", null);
        }
        Map<String, FilterDef> next = new TreeMap<>(filters);
        next.put(stored.name(), stored);
        if (loops(stored.name(), next)) {
            throw VirtErrors.operationFailed(ErrorDomain.NWFILTER, "filter would introduce a loop");
        }
        files.saveFilter(stored);
        filters.put(stored.name(), stored);
        relayBindingsUsing(stored.name());
        return ref(stored);
    }

    /** Whether following references from {@code name} comes back to it. */
    private static boolean loops(String name, Map<String, FilterDef> all) {
        FilterDef def = all.get(name);
        for (FilterDef.Entry e : def.entries()) {
            if (e instanceof FilterDef.FilterRef ref && FilterTree.closure(ref.filter(), all::get).contains(name)) {
                return true;
            }
        }
        return false;
    }

    /** A redefined filter changes the rules of every port it applies to, as libvirt rebuilds them. */
    private void relayBindingsUsing(String name) {
        for (Map.Entry<String, BindingDef> entry : bindings.entrySet()) {
            BindingDef binding = entry.getValue();
            if (FilterTree.closure(binding.filter().filter(), filters::get).contains(name)
                && firewall.portExists(binding.portDev())) {
                // a binding kept while its port was missing gets its MAC parameter now, as libvirt adds it
                binding = binding.withMacParameter();
                entry.setValue(binding);
                try {
                    instantiate(binding);
                } catch (VirtException e) {
                    LOG.log(System.Logger.Level.WARNING, "cannot rebuild the rules of " + binding.portDev() + ": "
                        + e.getMessage());
                }
            }
        }
    }

    @Override
    public synchronized void undefine(NwFilterRef ref) {
        FilterDef def = byName(ref.name());
        for (BindingDef binding : bindings.values()) {
            // as libvirt's trial rebuild: a binding whose port is not there holds no filter
            if (FilterTree.closure(binding.filter().filter(), filters::get).contains(def.name())
                && firewall.portExists(binding.portDev())) {
                throw VirtErrors.operationInvalid(ErrorDomain.NWFILTER, "nwfilter is in use");
            }
        }
        files.deleteFilter(def.name());
        filters.remove(def.name());
    }

    @Override
    public synchronized String xml(NwFilterRef ref, int flags) {
        VirtErrors.checkFlags(ErrorDomain.NWFILTER, flags, 0, "nwfilterGetXMLDesc");
        return FilterXml.format(byName(ref.name()));
    }

    @Override
    public synchronized List<NwFilterBindingRef> listAllBindings(int flags) {
        VirtErrors.checkFlags(ErrorDomain.NWFILTER, flags, 0, "nwfilterConnectListAllNWFilterBindings");
        return bindings.values().stream().map(NwFilterDriver::ref).toList();
    }

    @Override
    public synchronized NwFilterBindingRef lookupBinding(String portDev) {
        return ref(binding(portDev));
    }

    @Override
    public synchronized NwFilterBindingRef createBinding(String xml, int flags) {
        VirtErrors.checkFlags(ErrorDomain.NWFILTER, flags, 0, "nwfilterBindingCreateXML");
        BindingDef parsed = BindingXml.parse(xml);
        if (bindings.containsKey(parsed.portDev())) {
            throw VirtErrors.operationFailed(ErrorDomain.NWFILTER, "binding '" + parsed.portDev()
                + "' already exists");
        }
        // libvirt keeps a binding for a port that is not there (yet) as given: nothing is checked or laid,
        // and the MAC parameter is added only when the filter is instantiated
        BindingDef def = parsed;
        if (firewall.portExists(parsed.portDev())) {
            def = parsed.withMacParameter();
            instantiate(def);
        }
        try {
            files.saveBinding(def);
        } catch (VirtException e) {
            firewall.teardown(def.portDev());
            throw e;
        }
        bindings.put(def.portDev(), def);
        return ref(def);
    }

    @Override
    public synchronized void deleteBinding(NwFilterBindingRef ref) {
        BindingDef def = binding(ref.portDev());
        learning.stop(def.portDev());
        learnedIps.remove(def.portDev());
        firewall.teardown(def.portDev());
        files.deleteBinding(def.portDev());
        bindings.remove(def.portDev());
    }

    @Override
    public synchronized String bindingXml(NwFilterBindingRef ref, int flags) {
        VirtErrors.checkFlags(ErrorDomain.NWFILTER, flags, 0, "nwfilterBindingGetXMLDesc");
        return BindingXml.format(binding(ref.portDev()));
    }

    private void instantiate(BindingDef binding) {
        FilterDef.FilterRef filter = binding.filter();
        String learned = learnedIps.get(binding.portDev());
        if (learned != null) {
            filter = withParameter(filter, "IP", learned);
        }
        if (needsLearning(filter)) {
            firewall.learning(binding.portDev(), binding.mac());
            learning.watch(binding.portDev(), binding.mac());
            return;
        }
        firewall.instantiate(binding.portDev(), FilterTree.resolve(filter, filters::get));
    }

    /** Whether only the IP address is missing and the binding lets it be learned. */
    private boolean needsLearning(FilterDef.FilterRef filter) {
        Map<String, List<String>> values = FilterTree.values(filter.parameters());
        if (values.containsKey("IP") || List.of("none").equals(values.get("CTRL_IP_LEARNING"))) {
            return false;
        }
        try {
            FilterTree.resolve(filter, filters::get);
            return false;
        } catch (VirtException missing) {
            try {
                FilterTree.resolve(withParameter(filter, "IP", "0.0.0.0"), filters::get);
                return true;
            } catch (VirtException otherwise) {
                return false;
            }
        }
    }

    private static FilterDef.FilterRef withParameter(FilterDef.FilterRef filter, String name, String value) {
        List<FilterDef.Parameter> params = new ArrayList<>(filter.parameters());
        params.add(new FilterDef.Parameter(name, value));
        params.sort(java.util.Comparator.comparing(FilterDef.Parameter::name));
        return new FilterDef.FilterRef(filter.filter(), List.copyOf(params));
    }

    /** The learning thread found a port's address: its full rules replace the learning ones. */
    private synchronized void learned(String portDev, String ip) {
        BindingDef binding = bindings.get(portDev);
        if (binding == null) {
            return;
        }
        learnedIps.put(portDev, ip);
        try {
            instantiate(binding);
            LOG.log(System.Logger.Level.INFO, "learned IP address " + ip + " of " + portDev);
        } catch (VirtException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot lay the rules of " + portDev + ": " + e.getMessage());
        }
    }

    /** The address learned for a port, null while none is. */
    synchronized String learnedIp(String portDev) {
        return learnedIps.get(portDev);
    }

    private FilterDef byName(String name) {
        FilterDef def = filters.get(name);
        if (def == null) {
            throw new VirtException(ErrorCode.NO_NWFILTER, ErrorDomain.NWFILTER, "no nwfilter with matching name '"
                + name + "'");
        }
        return def;
    }

    private FilterDef byUuid(UUID uuid) {
        return filters.values().stream().filter(f -> f.uuid().equals(uuid)).findFirst().orElseThrow(() ->
            new VirtException(ErrorCode.NO_NWFILTER, ErrorDomain.NWFILTER, "no nwfilter with matching uuid '"
                + uuid + "'"));
    }

    private BindingDef binding(String portDev) {
        BindingDef def = bindings.get(portDev);
        if (def == null) {
            throw new VirtException(ErrorCode.NO_NWFILTER_BINDING, ErrorDomain.NWFILTER,
                "no nwfilter binding for port dev '" + portDev + "'");
        }
        return def;
    }

    private static NwFilterRef ref(FilterDef def) {
        return new NwFilterRef(def.name(), def.uuid());
    }

    private static NwFilterBindingRef ref(BindingDef def) {
        return new NwFilterBindingRef(def.portDev(), def.filter().filter());
    }

    /** The names of the filters, for tests. */
    synchronized List<String> names() {
        return new ArrayList<>(filters.keySet());
    }
}
