package org.jvirtd.core.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.TypedParameter;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.Connection;
import org.jvirtd.api.domain.BlockInfo;
import org.jvirtd.api.domain.ConsoleStream;
import org.jvirtd.api.domain.DomainFlags;
import org.jvirtd.api.domain.DomainInfo;
import org.jvirtd.api.domain.DomainInterface;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.api.domain.DomainState;
import org.jvirtd.api.domain.DomainStats;
import org.jvirtd.api.domain.DomainStatus;
import org.jvirtd.api.domain.InterfaceStats;
import org.jvirtd.api.domain.MemoryStat;
import org.jvirtd.api.domain.Screenshot;
import org.jvirtd.api.domain.StateReason;
import org.jvirtd.api.domain.VcpuInfo;
import org.jvirtd.api.driver.DomainHandle;
import org.jvirtd.api.driver.HypervisorDriver;
import org.jvirtd.api.event.BlockJobEvent;
import org.jvirtd.api.event.AgentLifecycleEvent;
import org.jvirtd.api.event.BlockThresholdEvent;
import org.jvirtd.api.event.DomainEvent;
import org.jvirtd.api.event.DomainEventType;
import org.jvirtd.api.event.DomainMetadataChange;
import org.jvirtd.model.domain.DomainDef;
import org.jvirtd.model.domain.DeviceEdits;
import org.jvirtd.model.domain.DomainEditor;
import org.jvirtd.model.domain.DomainMetadata;
import org.jvirtd.model.domain.DomainXml;

/**
 * The domains of one driver and the work every driver shares, done once here: look up, check the
 * state, hold the domain's lock for the call, call the driver, persist, publish the event. The list
 * outlives the driver service, so guests keep their state while the driver bundle is updated.
 */
final class DriverDomains {
    private static final System.Logger LOG = System.getLogger(DriverDomains.class.getName());
    /** Internal stop reason: the guest vanished while nobody watched (shown as shut off, unknown). */
    private static final int GONE = -1;

    private final ConsoleSessions consoles = new ConsoleSessions();
    private final String driverName;
    private final DomainStore store;
    private final EventHub events;
    private final Supplier<HypervisorDriver> driver;
    private final Map<UUID, DomainObject> byUuid = new ConcurrentHashMap<>();
    /**
     * The same objects by name, so lookups and the uniqueness check do not scan every domain, kept in name
     * order so a list needs no sort (sorting 1,000 names was half of listAllDomains' CPU time).
     */
    private final NavigableMap<String, DomainObject> byName = new ConcurrentSkipListMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final ExecutorService reports;
    private volatile ErrorDomain errorDomain = ErrorDomain.NONE;
    private final DriverSnapshots snapshots;

    DriverDomains(String driverName, DomainStore store, EventHub events, Supplier<HypervisorDriver> driver) {
        this.driverName = driverName;
        this.store = store;
        this.events = events;
        this.driver = driver;
        this.reports = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "jvirtd-" + driverName + "-reports");
            thread.setDaemon(true);
            return thread;
        });
        this.snapshots = new DriverSnapshots(this);
        for (DomainObject domain : store.load()) {
            add(domain);
            if (domain.isActive()) {
                nextId.accumulateAndGet(domain.id() + 1, Math::max);
            }
        }
    }

    String driverName() {
        return driverName;
    }

    ErrorDomain from() {
        return errorDomain;
    }

    DomainStore store() {
        return store;
    }

    /** The driver now (waits out a driver update). */
    HypervisorDriver driver() {
        return driver.get();
    }

    /** Hands every active domain to a driver that just arrived; those it cannot find are marked shut off. */
    void reattachAll(HypervisorDriver arrived) {
        errorDomain = arrived.errorDomain();
        for (DomainObject domain : byUuid.values()) {
            domain.lock().lock();
            try {
                if (!domain.isActive()) {
                    continue;
                }
                RunHandle handle = handle(domain);
                boolean alive;
                try {
                    alive = arrived.reattach(handle);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "reattach of " + domain.name() + " failed", e);
                    alive = false;
                }
                if (!alive) {
                    LOG.log(System.Logger.Level.WARNING, "domain " + domain.name() + " is gone; marking it shut off");
                    stopped(domain, GONE);
                }
            } finally {
                domain.lock().unlock();
            }
        }
    }

    /** Starts the autostart domains that are not running (once, at daemon start). */
    void autostart() {
        for (DomainObject domain : byUuid.values()) {
            if (domain.autostart() && !domain.isActive()) {
                try {
                    create(domain.ref(), 0);
                } catch (VirtException e) {
                    LOG.log(System.Logger.Level.ERROR, "autostart of " + domain.name() + " failed: " + e.getMessage());
                }
            }
        }
    }

    /** An active domain whose live definition has a disk with this source (file, dev or dir). */
    Optional<String> activeDomainUsing(String path) {
        Path wanted = Path.of(path).toAbsolutePath().normalize();
        for (DomainObject domain : byUuid.values()) {
            String live = domain.isActive() ? domain.liveXml() : null;
            if (live != null && DiskSources.of(live).contains(wanted)) {
                return Optional.of(domain.name());
            }
        }
        return Optional.empty();
    }

    boolean anyActive() {
        return byUuid.values().stream().anyMatch(DomainObject::isActive);
    }

    // ---- lookups

    List<DomainRef> list(int flags) {
        List<DomainRef> result = new ArrayList<>();
        for (DomainObject domain : byName.values()) {
            if (matches(domain, flags)) {
                result.add(domain.ref());
            }
        }
        return result;
    }

    private boolean matches(DomainObject d, int flags) {
        // a stat per domain costs more than the rest of the list; only the managed-save filters need it
        boolean managedSave = (flags & (DomainFlags.LIST_MANAGEDSAVE | DomainFlags.LIST_NO_MANAGEDSAVE)) != 0
            && store.hasManagedSave(d.name());
        return group(flags, DomainFlags.LIST_ACTIVE, d.isActive(), DomainFlags.LIST_INACTIVE, !d.isActive())
            && group(flags, DomainFlags.LIST_PERSISTENT, d.isPersistent(), DomainFlags.LIST_TRANSIENT,
                !d.isPersistent())
            && stateGroup(flags, d.state())
            && group(flags, DomainFlags.LIST_MANAGEDSAVE, managedSave, DomainFlags.LIST_NO_MANAGEDSAVE, !managedSave)
            && group(flags, DomainFlags.LIST_AUTOSTART, d.autostart(), DomainFlags.LIST_NO_AUTOSTART, !d.autostart())
            && group(flags, DomainFlags.LIST_HAS_SNAPSHOT, false, DomainFlags.LIST_NO_SNAPSHOT, true);
    }

    private static boolean group(int flags, int yesFlag, boolean yes, int noFlag, boolean no) {
        if ((flags & (yesFlag | noFlag)) == 0) {
            return true;
        }
        return ((flags & yesFlag) != 0 && yes) || ((flags & noFlag) != 0 && no);
    }

    private static boolean stateGroup(int flags, DomainState state) {
        int all = DomainFlags.LIST_RUNNING | DomainFlags.LIST_PAUSED | DomainFlags.LIST_SHUTOFF
            | DomainFlags.LIST_OTHER;
        if ((flags & all) == 0) {
            return true;
        }
        return switch (state) {
            case RUNNING -> (flags & DomainFlags.LIST_RUNNING) != 0;
            case PAUSED -> (flags & DomainFlags.LIST_PAUSED) != 0;
            case SHUTOFF -> (flags & DomainFlags.LIST_SHUTOFF) != 0;
            default -> (flags & DomainFlags.LIST_OTHER) != 0;
        };
    }

    DomainRef lookupByName(String name) {
        return find(name).ref();
    }

    DomainRef lookupByUuid(UUID uuid) {
        DomainObject domain = byUuid.get(uuid);
        if (domain == null) {
            throw VirtErrors.noDomainUuid(from(), uuid.toString());
        }
        return domain.ref();
    }

    DomainRef lookupById(int id) {
        return byUuid.values().stream().filter(d -> d.isActive() && d.id() == id).findFirst()
            .orElseThrow(() -> VirtErrors.noDomainId(from(), id)).ref();
    }

    private DomainObject find(String name) {
        DomainObject domain = byName.get(name);
        if (domain == null) {
            throw VirtErrors.noDomainName(from(), name);
        }
        return domain;
    }

    /** Finds and locks a domain; the caller unlocks. Rejects a reference whose name and uuid disagree. */
    private DomainObject lock(DomainRef ref) {
        while (true) {
            DomainObject domain = byUuid.get(ref.uuid());
            if (domain == null || !domain.name().equals(ref.name())) {
                throw VirtErrors.noDomainUuid(from(), ref.uuid().toString());
            }
            domain.lock().lock();
            if (!domain.isRemoved()) {
                return domain;
            }
            domain.lock().unlock();
        }
    }

    /**
     * Runs an action on a locked domain with the driver in hand. The driver is fetched first, so a
     * call that waits out a driver update holds no lock meanwhile.
     */
    <T> T locked(DomainRef ref, BiFunction<DomainObject, HypervisorDriver, T> action) {
        HypervisorDriver hv = driver.get();
        DomainObject domain = lock(ref);
        try {
            return action.apply(domain, hv);
        } finally {
            domain.lock().unlock();
        }
    }

    void lockedDo(DomainRef ref, BiConsumer<DomainObject, HypervisorDriver> action) {
        locked(ref, (d, hv) -> {
            action.accept(d, hv);
            return null;
        });
    }

    // ---- definitions

    DomainRef define(String xml) {
        HypervisorDriver hv = driver.get();
        DomainDef def = DomainXml.parse(hv.validateDefinition(xml));
        Names.check("domain", def.name());
        String persistent = DomainXml.format(def, -1, DomainStore.STORED_FORM);
        synchronized (byUuid) {
            DomainObject existing = checkUnique(def, false);
            boolean update = existing != null;
            DomainObject domain = update ? existing : new DomainObject(def.name(), def.uuid());
            domain.lock().lock();
            try {
                String previous = domain.persistentXml();
                domain.setPersistentXml(persistent);
                try {
                    store.writeConfig(domain);
                } catch (VirtException e) {
                    domain.setPersistentXml(previous);
                    throw e;
                }
                add(domain);
                if (!domain.isActive()) {
                    // dumpxml usually follows a define: format the public form now, from the tree already parsed
                    domain.formatted(0, () -> DomainXml.format(def, -1, 0));
                }
                publish(domain.ref(), DomainEventType.DEFINED, update && previous != null ? 1 : 0);
                return domain.ref();
            } finally {
                domain.lock().unlock();
            }
        }
    }

    /** The domain with this definition's uuid, if any; errors if the name or uuid clash with another. */
    private DomainObject checkUnique(DomainDef def, boolean mustBeInactive) {
        DomainObject sameUuid = byUuid.get(def.uuid());
        if (sameUuid != null) {
            if (!sameUuid.name().equals(def.name())) {
                throw VirtErrors.operationFailed(from(), "domain '" + sameUuid.name()
                    + "' is already defined with uuid " + def.uuid());
            }
            if (mustBeInactive && sameUuid.isActive()) {
                throw VirtErrors.operationInvalid(from(), "domain '" + def.name() + "' is already active");
            }
            return sameUuid;
        }
        DomainObject other = byName.get(def.name());
        if (other != null) {
            throw VirtErrors.operationFailed(from(), "domain '" + def.name() + "' already exists with uuid "
                + other.uuid());
        }
        return null;
    }

    void undefine(DomainRef ref, int flags) {
        lockedDo(ref, (d, hv) -> {
            if (!d.isPersistent()) {
                throw VirtErrors.operationInvalid(from(), "cannot undefine transient domain");
            }
            int snapshotCount = snapshots.count(d);
            if (!d.isActive() && snapshotCount > 0 && (flags & DomainFlags.UNDEFINE_SNAPSHOTS_METADATA) == 0) {
                throw VirtErrors.operationInvalid(from(),
                    "cannot delete inactive domain with " + snapshotCount + " snapshots");
            }
            Path image = store.managedSaveImage(d.name());
            if (store.hasManagedSave(d.name())) {
                if ((flags & DomainFlags.UNDEFINE_MANAGED_SAVE) == 0) {
                    throw VirtErrors.operationInvalid(from(),
                        "Refusing to undefine while domain managed save image exists");
                }
                deleteImage(image);
            }
            if (!d.isActive()) {
                hv.undefined(handle(d), flags);
            }
            store.undefineConfig(d);
            d.setPersistentXml(null);
            d.setAutostart(false);
            publish(d.ref(), DomainEventType.UNDEFINED, 0);
            if (!d.isActive()) {
                remove(d);
            }
        });
    }

    /**
     * virDomainRename of a shut-off persistent domain: the same domain (uuid, definition, autostart) under a new
     * name, its config file and autostart link moved, with libvirt's UNDEFINED/DEFINED "renamed" events.
     */
    DomainRef rename(DomainRef ref, String newName) {
        // byUuid before the domain's lock, in define's order
        synchronized (byUuid) {
            return renameLocked(ref, newName);
        }
    }

    private DomainRef renameLocked(DomainRef ref, String newName) {
        DomainObject renamed = locked(ref, (d, hv) -> {
            if (d.isActive()) {
                throw VirtErrors.operationInvalid(from(), "cannot rename active domain");
            }
            if (!d.isPersistent()) {
                throw VirtErrors.operationInvalid(from(), "cannot rename a transient domain");
            }
            if (d.name().equals(newName)) {
                throw VirtErrors.operationInvalid(from(), "Can't rename domain to itself");
            }
            if (store.hasManagedSave(d.name())) {
                throw VirtErrors.operationInvalid(from(), "domain with a managed saved state can't be renamed");
            }
            if (snapshots.count(d) > 0) {
                throw VirtErrors.operationInvalid(from(), "cannot rename domain with snapshots");
            }
            Names.check("domain", newName);
            if (byName.containsKey(newName)) {
                throw VirtErrors.operationInvalid(from(), "domain with name '" + newName + "' already exists");
            }
            DomainEditor editor = DomainEditor.of(d.persistentXml());
            editor.setTopText("name", newName);
            DomainObject next = new DomainObject(newName, d.uuid());
            next.setPersistentXml(editor.format(-1, DomainStore.STORED_FORM));
            store.writeConfig(next);
            boolean autostart = d.autostart();
            if (autostart) {
                store.writeAutostart(d, false);
                store.writeAutostart(next, true);
                next.setAutostart(true);
            }
            store.deleteConfig(d);
            d.setPersistentXml(null);
            remove(d);
            add(next);
            publish(d.ref(), DomainEventType.UNDEFINED, 1);
            publish(next.ref(), DomainEventType.DEFINED, 2);
            return next;
        });
        return renamed.ref();
    }

    private void add(DomainObject domain) {
        byUuid.put(domain.uuid(), domain);
        byName.put(domain.name(), domain);
    }

    /** Forgets a domain that is neither defined nor running, and with it its snapshot metadata, as libvirt does. */
    private void remove(DomainObject domain) {
        snapshots.forget(domain);
        byUuid.remove(domain.uuid(), domain);
        byName.remove(domain.name(), domain);
        domain.markRemoved();
    }

    // ---- lifecycle

    DomainRef createTransient(String xml, int flags) {
        HypervisorDriver hv = driver.get();
        DomainDef def = DomainXml.parse(hv.validateDefinition(xml));
        Names.check("domain", def.name());
        String live = DomainXml.format(def, -1, DomainStore.STORED_FORM);
        DomainObject domain;
        synchronized (byUuid) {
            domain = checkUnique(def, true);
            if (domain == null) {
                domain = new DomainObject(def.name(), def.uuid());
                add(domain);
            }
            domain.lock().lock();
        }
        try {
            startLocked(domain, hv, live, flags, null);
            return domain.ref();
        } catch (RuntimeException e) {
            if (!domain.isPersistent() && !domain.isActive()) {
                remove(domain);
            }
            throw e;
        } finally {
            domain.lock().unlock();
        }
    }

    DomainRef create(DomainRef ref, int flags) {
        return locked(ref, (d, hv) -> {
            if (d.isActive()) {
                throw VirtErrors.alreadyRunning(from());
            }
            Path image = store.managedSaveImage(d.name());
            boolean saved = store.hasManagedSave(d.name());
            boolean restore = saved && (flags & DomainFlags.START_FORCE_BOOT) == 0;
            if (restore) {
                // the guest comes back as it was saved: the image's definition, paused if it was paused
                String imageXml = DomainXml.format(DomainXml.parse(hv.saveImageXml(image)), -1,
                    DomainStore.STORED_FORM);
                int state = hv.saveImageWasRunning(image) ? flags : flags | DomainFlags.START_PAUSED;
                startLocked(d, hv, imageXml, state, image);
            } else {
                startLocked(d, hv, d.persistentXml(), flags, null);
            }
            if (saved) {
                deleteImage(image);
            }
            return d.ref();
        });
    }

    /** Starts a locked, inactive domain fresh or from a save image. */
    private void startLocked(DomainObject d, HypervisorDriver hv, String xml, int flags, Path image) {
        boolean paused = (flags & DomainFlags.START_PAUSED) != 0;
        launch(d, hv, xml, paused, image);
        int runningReason = image == null ? StateReason.RUNNING_BOOTED : StateReason.RUNNING_RESTORED;
        if (paused) {
            d.setState(DomainState.PAUSED, StateReason.PAUSED_USER);
        } else {
            d.setState(DomainState.RUNNING, runningReason);
        }
        store.writeStatus(d);
        publish(d.ref(), DomainEventType.STARTED, image == null ? 0 : 2);
        if (paused) {
            publish(d.ref(), DomainEventType.SUSPENDED, 0);
        } else if (image != null && hv.reportsPauseAroundSave()) {
            publish(d.ref(), DomainEventType.RESUMED, 2);   // VIR_DOMAIN_EVENT_RESUMED_FROM_SNAPSHOT, as libvirt
        }
    }

    /** Has the driver start a new run of a locked, inactive domain; the caller sets the state. */
    private void launch(DomainObject d, HypervisorDriver hv, String xml, boolean paused, Path image) {
        int id = nextId.getAndIncrement();
        d.setId(id);
        d.setLiveXml(xml);
        d.setRuntime(Map.of());
        RunHandle handle = new RunHandle(this, d, store, id, xml, Map.of());
        try {
            if (image == null) {
                hv.start(handle, paused);
            } else {
                hv.restore(handle, image, paused);
            }
        } catch (RuntimeException e) {
            d.setId(-1);
            d.setLiveXml(null);
            d.setRuntime(Map.of());
            throw e;
        }
    }

    // ---- what DriverSnapshots needs of a domain (the snapshot work itself is there)

    <T> T lockedForSnapshot(DomainRef ref, BiFunction<DomainObject, HypervisorDriver, T> action) {
        return locked(ref, action);
    }

    DriverSnapshots snapshots() {
        return snapshots;
    }

    RunHandle runHandle(DomainObject d) {
        return handle(d);
    }

    ErrorDomain errorDomain() {
        return from();
    }

    Path stateDir() {
        return store.stateDir();
    }

    /** Starts a locked, inactive domain paused for a revert: STARTED/FROM_SNAPSHOT, paused from snapshot. */
    void startForSnapshot(DomainObject d, HypervisorDriver hv) {
        launch(d, hv, d.persistentXml(), true, null);
        d.setState(DomainState.PAUSED, StateReason.PAUSED_FROM_SNAPSHOT);
        store.writeStatus(d);
        publish(d.ref(), DomainEventType.STARTED, 3);
    }

    /** Stops a locked, active domain for a revert or a snapshot with HALT: STOPPED/FROM_SNAPSHOT. */
    void stopForSnapshot(DomainObject d, HypervisorDriver hv) {
        hv.destroy(handle(d));
        stopped(d, StateReason.SHUTOFF_FROM_SNAPSHOT);
    }

    /** Replaces a locked domain's persistent definition (disks moved to snapshot overlays) and saves it. */
    void replacePersistentXml(DomainObject d, String xml) {
        d.setPersistentXml(xml);
        store.writeConfig(d);
    }

    void shutdown(DomainRef ref) {
        lockedDo(ref, (d, hv) -> {
            requireActive(d);
            hv.shutdown(handle(d));
        });
    }

    void reboot(DomainRef ref) {
        lockedDo(ref, (d, hv) -> {
            requireActive(d);
            hv.reboot(handle(d));
        });
    }

    void destroy(DomainRef ref) {
        lockedDo(ref, (d, hv) -> {
            requireActive(d);
            hv.destroy(handle(d));
            stopped(d, StateReason.SHUTOFF_DESTROYED);
        });
    }

    void suspend(DomainRef ref) {
        lockedDo(ref, (d, hv) -> {
            requireActive(d);
            if (d.state() == DomainState.PAUSED) {
                return;
            }
            hv.suspend(handle(d));
            applyState(d, DomainState.PAUSED, StateReason.PAUSED_USER);
        });
    }

    void resume(DomainRef ref) {
        lockedDo(ref, (d, hv) -> {
            requireActive(d);
            if (d.state() != DomainState.PAUSED) {
                return;
            }
            hv.resume(handle(d));
            applyState(d, DomainState.RUNNING, StateReason.RUNNING_UNPAUSED);
        });
    }

    void save(DomainRef ref, Path file) {
        lockedDo(ref, (d, hv) -> saveLocked(d, hv, file));
    }

    void managedSave(DomainRef ref) {
        lockedDo(ref, (d, hv) -> {
            if (!d.isPersistent()) {
                throw VirtErrors.operationInvalid(from(), "cannot do managed save for transient domain");
            }
            saveLocked(d, hv, store.managedSaveImage(d.name()));
        });
    }

    private void saveLocked(DomainObject d, HypervisorDriver hv, Path file) {
        requireActive(d);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw VirtErrors.system(from(), "cannot create directory for '" + file + "': " + e.getMessage(), e);
        }
        boolean running = d.state() == DomainState.RUNNING;
        hv.save(handle(d), file);
        if (running && hv.reportsPauseAroundSave()) {
            publish(d.ref(), DomainEventType.SUSPENDED, 0);
        }
        stopped(d, StateReason.SHUTOFF_SAVED);
    }

    DomainRef restore(Path file, int flags) {
        HypervisorDriver hv = driver.get();
        if (!Files.isReadable(file)) {
            throw VirtErrors.system(from(), "cannot open saved image '" + file + "': No such file or directory", null);
        }
        DomainDef def = DomainXml.parse(hv.saveImageXml(file));
        DomainObject domain;
        synchronized (byUuid) {
            domain = checkUnique(def, true);
            if (domain == null) {
                domain = new DomainObject(def.name(), def.uuid());
                add(domain);
            }
            domain.lock().lock();
        }
        try {
            if (domain.isActive()) {
                throw VirtErrors.operationInvalid(from(), "domain '" + def.name() + "' is already active");
            }
            boolean paused = (flags & DomainFlags.SAVE_PAUSED) != 0
                || (flags & DomainFlags.SAVE_RUNNING) == 0 && !hv.saveImageWasRunning(file);
            startLocked(domain, hv, DomainXml.format(def, -1, DomainStore.STORED_FORM),
                paused ? DomainFlags.START_PAUSED : 0, file);
            return domain.ref();
        } catch (RuntimeException e) {
            if (!domain.isPersistent() && !domain.isActive()) {
                remove(domain);
            }
            throw e;
        } finally {
            domain.lock().unlock();
        }
    }

    boolean hasManagedSave(DomainRef ref) {
        return locked(ref, (d, hv) -> store.hasManagedSave(d.name()));
    }

    void managedSaveRemove(DomainRef ref) {
        lockedDo(ref, (d, hv) -> deleteImage(store.managedSaveImage(d.name())));
    }

    private void deleteImage(Path image) {
        try {
            Files.deleteIfExists(image);
        } catch (IOException e) {
            throw VirtErrors.system(from(), "Failed to remove managed save file '" + image + "': " + e.getMessage(), e);
        }
    }

    // ---- queries and settings

    String xml(DomainRef ref, int flags) {
        return locked(ref, (d, hv) -> d.formatted(flags, () -> {
            boolean inactive = (flags & DomainFlags.XML_INACTIVE) != 0 && d.isPersistent();
            String source = inactive ? d.persistentXml() : d.currentXml();
            return DomainXml.format(DomainXml.parse(source), inactive ? -1 : d.id(), flags);
        }));
    }

    DomainInfo info(DomainRef ref) {
        return locked(ref, (d, hv) -> {
            DomainDef def = DomainXml.parse(d.currentXml());
            long cpuTime = d.isActive() ? hv.cpuTimeNanos(handle(d)) : 0;
            return new DomainInfo(d.state(), def.memoryKiB(), def.currentMemoryKiB() > 0 ? def.currentMemoryKiB() : def.memoryKiB(),
                def.vcpus(), cpuTime);
        });
    }

    // ---- statistics

    List<TypedParameter> blockStats(DomainRef ref, String disk) {
        return locked(ref, (d, hv) -> {
            requireActive(d);
            return hv.blockStats(handle(d), disk);
        });
    }

    InterfaceStats interfaceStats(DomainRef ref, String device) {
        return locked(ref, (d, hv) -> {
            requireActive(d);
            return hv.interfaceStats(handle(d), device);
        });
    }

    List<MemoryStat> memoryStats(DomainRef ref, int max) {
        return locked(ref, (d, hv) -> {
            requireActive(d);
            List<MemoryStat> stats = hv.memoryStats(handle(d));
            return stats.subList(0, Math.min(max, stats.size()));
        });
    }

    /**
     * virDomainSetMemoryFlags: the current size (through the balloon while running, and in the persistent
     * definition for AFFECT_CONFIG) or, with MEM_MAXIMUM, the maximum of the persistent definition.
     */
    void setMemory(DomainRef ref, long kib, int flags) {
        lockedDo(ref, (d, hv) -> {
            Affected target = affected(d, flags);
            boolean live = target.live();
            boolean config = target.config();
            boolean maximum = (flags & DomainFlags.MEM_MAXIMUM) != 0;
            if (maximum && live) {
                throw VirtErrors.operationInvalid(from(), "cannot resize the maximum memory on an active domain");
            }
            if (live) {
                if (kib > DomainXml.parse(d.currentXml()).memoryKiB()) {
                    throw VirtErrors.invalidArg(from(), "cannot set memory higher than max memory");
                }
                hv.setBalloon(handle(d), kib);
                DomainEditor running = DomainEditor.of(d.currentXml());
                running.setMemoryKiB("currentMemory", kib);
                d.setLiveXml(running.format(d.id(), DomainXml.SECURE | DomainXml.STATUS));
                store.writeStatus(d);
            }
            if (config) {
                DomainDef def = DomainXml.parse(d.persistentXml());
                DomainEditor persistent = DomainEditor.of(d.persistentXml());
                if (maximum) {
                    persistent.setMemoryKiB("memory", kib);
                    if (def.currentMemoryKiB() > kib) {
                        persistent.setMemoryKiB("currentMemory", kib);
                    }
                } else if (kib > def.memoryKiB()) {
                    throw VirtErrors.invalidArg(from(), "cannot set memory higher than max memory");
                } else {
                    persistent.setMemoryKiB("currentMemory", kib);
                }
                String previous = d.persistentXml();
                d.setPersistentXml(persistent.format(-1, DomainStore.STORED_FORM));
                try {
                    store.writeConfig(d);
                } catch (VirtException e) {
                    d.setPersistentXml(previous);
                    throw e;
                }
            }
        });
    }

    /** Which definitions a change with VIR_DOMAIN_AFFECT_* flags applies to. */
    record Affected(boolean live, boolean config) {
    }

    /**
     * Resolves AFFECT_CURRENT to the live definition of a running domain or the persistent one otherwise, and
     * refuses what libvirt refuses: a live change of a stopped domain, a persistent change of a transient one.
     */
    Affected affected(DomainObject d, int flags) {
        boolean current = (flags & (DomainFlags.AFFECT_LIVE | DomainFlags.AFFECT_CONFIG)) == 0;
        boolean live = (flags & DomainFlags.AFFECT_LIVE) != 0 || current && d.isActive();
        boolean config = (flags & DomainFlags.AFFECT_CONFIG) != 0 || current && !d.isActive();
        if (live) {
            requireActive(d);
        }
        if (config && !d.isPersistent()) {
            throw VirtErrors.operationInvalid(from(), "transient domains do not have any persistent config");
        }
        return new Affected(live, config);
    }

    /** virDomainSetMemoryStatsPeriod: the balloon's <stats period> of the running guest and/or its definition. */
    void setMemoryStatsPeriod(DomainRef ref, int period, int flags) {
        lockedDo(ref, (d, hv) -> {
            Affected target = affected(d, flags);
            boolean live = target.live();
            boolean config = target.config();
            DomainEditor running = live ? withStatsPeriod(d.currentXml(), period) : null;
            DomainEditor persistent = config ? withStatsPeriod(d.persistentXml(), period) : null;
            if (live) {
                hv.setStatsPeriod(handle(d), period);
                d.setLiveXml(running.format(d.id(), DomainXml.SECURE | DomainXml.STATUS));
                store.writeStatus(d);
            }
            if (config) {
                String previous = d.persistentXml();
                d.setPersistentXml(persistent.format(-1, DomainStore.STORED_FORM));
                try {
                    store.writeConfig(d);
                } catch (VirtException e) {
                    d.setPersistentXml(previous);
                    throw e;
                }
            }
        });
    }

    /** The definition with the balloon's collection period set (libvirt writes none for 0). */
    private DomainEditor withStatsPeriod(String xml, int period) {
        DomainEditor doc = DomainEditor.of(xml);
        String model = doc.count("memballoon") == 0 ? null : doc.attr("memballoon", 0, null, "model");
        if (model == null || "none".equals(model)) {
            throw VirtErrors.internal(from(), "No memory balloon device configured, can not set the collection period");
        }
        doc.removeChildren("memballoon", 0, "stats");
        if (period > 0) {
            doc.setFirstChild("memballoon", 0, "stats", Map.of("period", Integer.toString(period)));
        }
        return doc;
    }

    int openGraphicsFd(DomainRef ref, int index, boolean skipAuth) {
        return locked(ref, (d, hv) -> {
            requireActive(d);
            return hv.openGraphicsFd(handle(d), index, skipAuth);
        });
    }

    Screenshot screenshot(DomainRef ref, int screen) {
        return locked(ref, (d, hv) -> {
            requireActive(d);
            return hv.screenshot(handle(d), screen);
        });
    }

    List<VcpuInfo> vcpuInfo(DomainRef ref) {
        return locked(ref, (d, hv) -> {
            requireActive(d);
            return hv.vcpuInfo(handle(d));
        });
    }

    BlockInfo blockInfo(DomainRef ref, String disk) {
        return locked(ref, (d, hv) -> hv.blockInfo(handle(d), d.isActive(), disk));
    }

    List<DomainInterface> interfaceAddresses(DomainRef ref, int source) {
        return locked(ref, (d, hv) -> {
            requireActive(d);
            return hv.interfaceAddresses(handle(d), source);
        });
    }

    /** The namespace files of a running container's init (virDomainLxcOpenNamespace). */
    List<java.nio.file.Path> namespaceFiles(DomainRef ref) {
        return locked(ref, (d, hv) -> {
            requireActive(d);
            return hv.namespaceFiles(handle(d));
        });
    }

    /** Opens a running domain's console device for one client at a time (see {@link ConsoleSessions}). */
    ConsoleStream openConsole(DomainRef ref, String devName, boolean force) {
        return locked(ref, (d, hv) -> {
            requireActive(d);
            return consoles.open(hv.consolePath(handle(d), devName), force, from());
        });
    }

    /** Connects a client to a running domain's channel, one client at a time (see {@link ConsoleSessions}). */
    ConsoleStream openChannel(DomainRef ref, String name, boolean force) {
        return locked(ref, (d, hv) -> {
            requireActive(d);
            return consoles.openSocket(hv.channelSocket(handle(d), name), force, from());
        });
    }

    /**
     * One record per domain: the state group from core, the other groups asked for from the driver. Asked
     * for a group the driver lacks, with ENFORCE_STATS, the call fails as libvirt's does.
     */
    List<DomainStats> stats(List<DomainRef> refs, int groups, int flags) {
        HypervisorDriver hv = driver.get();
        int known = hv.statsGroups() | DomainStats.STATE;
        if ((flags & DomainStats.ENFORCE_STATS) != 0 && (groups & ~known) != 0) {
            // libvirt's QEMU driver names QEMU as the other party that may lack a group
            throw new VirtException(ErrorCode.ARGUMENT_UNSUPPORTED, from(), "Stats types bits 0x"
                + Integer.toHexString(groups & ~known) + " are not supported by this daemon"
                + ("qemu".equals(hv.name()) ? " or QEMU" : ""));
        }
        int wanted = groups == 0 ? known : groups & known;
        List<DomainStats> records = new ArrayList<>();
        for (DomainRef ref : refs) {
            try {
                records.add(locked(ref, (d, driverNow) -> {
                    List<TypedParameter> params = new ArrayList<>();
                    if ((wanted & DomainStats.STATE) != 0) {
                        params.add(new TypedParameter("state.state", TypedParameter.Type.INT, d.state().number()));
                        params.add(new TypedParameter("state.reason", TypedParameter.Type.INT, d.reason()));
                    }
                    params.addAll(driverNow.domainStats(handle(d), d.isActive(), wanted & ~DomainStats.STATE));
                    return new DomainStats(d.ref(), List.copyOf(params));
                }));
            } catch (VirtException e) {
                if (e.code() != ErrorCode.NO_DOMAIN) {
                    throw e;
                }
                // a domain undefined since it was listed is left out, as libvirt leaves it out
            }
        }
        return records;
    }

    Connection.SecurityLabel securityLabel(DomainRef ref) {
        return locked(ref, (d, hv) -> hv.securityLabel(handle(d)));
    }

    String osType(DomainRef ref) {
        return locked(ref, (d, hv) -> {
            String type = DomainXml.parse(d.currentXml()).osType();
            return type == null ? "hvm" : type;
        });
    }

    DomainStatus status(DomainRef ref) {
        return locked(ref, (d, hv) -> new DomainStatus(d.state(), d.reason()));
    }

    boolean isActive(DomainRef ref) {
        return locked(ref, (d, hv) -> d.isActive());
    }

    boolean isPersistent(DomainRef ref) {
        return locked(ref, (d, hv) -> d.isPersistent());
    }

    boolean autostart(DomainRef ref) {
        return locked(ref, (d, hv) -> d.autostart());
    }

    void setAutostart(DomainRef ref, boolean autostart) {
        lockedDo(ref, (d, hv) -> {
            if (!d.isPersistent()) {
                throw VirtErrors.operationInvalid(from(), "cannot set autostart for transient domain");
            }
            if (d.autostart() != autostart) {
                store.writeAutostart(d, autostart);
                d.setAutostart(autostart);
            }
        });
    }

    /** virDomainGetMetadata: the title, description or element of the live or the persistent definition. */
    String metadata(DomainRef ref, int type, String uri, int flags) {
        return locked(ref, (d, hv) -> {
            boolean config = affectsConfig(d, flags);
            String xml = config ? d.persistentXml() : d.currentXml();
            String value = DomainMetadata.get(DomainXml.parse(xml), type, uri);
            if (value == null) {
                throw new VirtException(ErrorCode.NO_DOMAIN_METADATA, from(),
                    "Requested metadata element is not present");
            }
            return value;
        });
    }

    /**
     * virDomainSetMetadata: replaces the value in the live definition, the persistent one or both, persists
     * what changed and publishes one metadata-change event.
     */
    void setMetadata(DomainRef ref, int type, String value, String key, String uri, int flags) {
        lockedDo(ref, (d, hv) -> {
            boolean live = (flags & DomainFlags.AFFECT_LIVE) != 0
                || (flags & DomainFlags.AFFECT_CONFIG) == 0 && d.isActive();
            boolean config = affectsConfig(d, flags) || (flags & DomainFlags.AFFECT_CONFIG) != 0;
            if (live && !d.isActive()) {
                throw VirtErrors.operationInvalid(from(), "domain is not running");
            }
            // the live form keeps what the run decided (aliases, ports), as the drivers write it
            String newLive = live ? DomainXml.format(DomainMetadata.set(DomainXml.parse(d.liveXml()), type, value,
                key, uri), d.id(), DomainXml.SECURE | DomainXml.STATUS) : null;
            String newConfig = config && d.isPersistent() ? DomainXml.format(DomainMetadata.set(
                DomainXml.parse(d.persistentXml()), type, value, key, uri), -1, DomainStore.STORED_FORM) : null;
            if (newConfig != null) {
                String previous = d.persistentXml();
                d.setPersistentXml(newConfig);
                try {
                    store.writeConfig(d);
                } catch (VirtException e) {
                    d.setPersistentXml(previous);
                    throw e;
                }
            }
            if (newLive != null) {
                d.setLiveXml(newLive);
                store.writeStatus(d);
            }
            events.publish(new DomainMetadataChange(driverName, d.ref(), type, uri));
        });
    }

    /**
     * Whether a call with these flags reads or writes the persistent definition, after libvirt's checks:
     * CURRENT means config for an inactive domain, CONFIG on a transient one is refused.
     */
    private boolean affectsConfig(DomainObject d, int flags) {
        boolean config = (flags & DomainFlags.AFFECT_CONFIG) != 0;
        if ((flags & DomainFlags.AFFECT_LIVE) != 0 && config && !d.isActive()) {
            throw VirtErrors.operationInvalid(from(), "domain is not running");
        }
        if (config && !d.isPersistent()) {
            throw VirtErrors.operationInvalid(from(), "transient domains do not have any persistent config");
        }
        if ((flags & DomainFlags.AFFECT_LIVE) != 0 && !d.isActive()) {
            throw VirtErrors.operationInvalid(from(), "domain is not running");
        }
        return config || (flags & (DomainFlags.AFFECT_LIVE | DomainFlags.AFFECT_CONFIG)) == 0 && !d.isActive();
    }

    /**
     * virDomainAttachDeviceFlags: hotplugged into the running guest and/or added to the persistent definition
     * (checked by the driver's post-parse, which gives it its address, before anything changes).
     */
    void attachDevice(DomainRef ref, String xml, int flags) {
        changeDevice(ref, flags, persistent -> DeviceEdits.attach(persistent, xml), (hv, h) -> hv.attachDevice(h, xml));
    }

    /** virDomainDetachDeviceFlags: unplugged from the running guest and/or removed from the definition. */
    void detachDevice(DomainRef ref, String xml, int flags) {
        changeDevice(ref, flags, persistent -> DeviceEdits.detach(persistent, xml), (hv, h) -> hv.detachDevice(h, xml));
    }

    /**
     * virDomainDetachDeviceAlias: the device with that alias unplugged from the running guest (aliases the
     * command line gave) and/or removed from the definition (where only user aliases, ua-*, are written).
     */
    void detachDeviceAlias(DomainRef ref, String alias, int flags) {
        lockedDo(ref, (d, hv) -> {
            Affected target = affected(d, flags);
            String persistent = null;
            if (target.config()) {
                String device = DeviceEdits.byAlias(d.persistentXml(), alias);
                persistent = DomainXml.format(DomainXml.parse(hv.validateDefinition(
                    DeviceEdits.detach(d.persistentXml(), device))), -1, DomainStore.STORED_FORM);
            }
            if (target.live()) {
                hv.detachDevice(handle(d), DeviceEdits.byAlias(d.currentXml(), alias));
            }
            if (persistent != null) {
                String previous = d.persistentXml();
                d.setPersistentXml(persistent);
                try {
                    store.writeConfig(d);
                } catch (VirtException e) {
                    d.setPersistentXml(previous);
                    throw e;
                }
            }
        });
    }

    /** virDomainUpdateDeviceFlags: a disk's medium changed in the running guest and/or the definition. */
    void updateDevice(DomainRef ref, String xml, int flags) {
        changeDevice(ref, flags, persistent -> DeviceEdits.update(persistent, xml), (hv, h) -> hv.updateDevice(h, xml));
    }

    private void changeDevice(DomainRef ref, int flags, java.util.function.UnaryOperator<String> configEdit,
                              BiConsumer<HypervisorDriver, RunHandle> liveChange) {
        lockedDo(ref, (d, hv) -> {
            Affected target = affected(d, flags);
            String persistent = null;
            if (target.config()) {
                DomainDef def = DomainXml.parse(hv.validateDefinition(configEdit.apply(d.persistentXml())));
                persistent = DomainXml.format(def, -1, DomainStore.STORED_FORM);
            }
            if (target.live()) {
                liveChange.accept(hv, handle(d));
            }
            if (persistent != null) {
                String previous = d.persistentXml();
                d.setPersistentXml(persistent);
                try {
                    store.writeConfig(d);
                } catch (VirtException e) {
                    d.setPersistentXml(previous);
                    throw e;
                }
            }
        });
    }

    void requireActive(DomainObject d) {
        if (!d.isActive()) {
            throw VirtErrors.notRunning(from());
        }
    }

    // ---- state changes

    RunHandle handle(DomainObject d) {
        return new RunHandle(this, d, store, d.id(), d.currentXml(), d.runtime());
    }

    /** Runs an action for a run's domain now if this thread holds its lock, else soon on the report thread. */
    void withRun(RunHandle handle, Consumer<DomainObject> action) {
        DomainObject d = handle.domain();
        if (d.lock().isHeldByCurrentThread()) {
            if (d.id() == handle.id()) {
                action.accept(d);
            }
            return;
        }
        reports.execute(() -> {
            d.lock().lock();
            try {
                if (!d.isRemoved() && d.isActive() && d.id() == handle.id()) {
                    action.accept(d);
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "state report for " + d.name() + " failed", e);
            } finally {
                d.lock().unlock();
            }
        });
    }

    /** Moves a locked domain to a new state, persists it and publishes the lifecycle event. */
    void applyState(DomainObject d, DomainState state, int reason) {
        DomainState old = d.state();
        if (state == DomainState.SHUTOFF) {
            stopped(d, reason);
            return;
        }
        d.setState(state, reason);
        store.writeStatus(d);
        if (state == DomainState.PAUSED && old != DomainState.PAUSED) {
            publish(d.ref(), DomainEventType.SUSPENDED, suspendedDetail(reason));
        } else if (state == DomainState.RUNNING && old == DomainState.PAUSED) {
            publish(d.ref(), DomainEventType.RESUMED, reason == StateReason.RUNNING_FROM_SNAPSHOT ? 2 : 0);
        } else if (state == DomainState.CRASHED) {
            publish(d.ref(), DomainEventType.CRASHED, 0);
        }
    }

    private static int suspendedDetail(int pausedReason) {
        return switch (pausedReason) {
            case StateReason.PAUSED_MIGRATION -> 1;
            case StateReason.PAUSED_IOERROR -> 2;
            case StateReason.PAUSED_WATCHDOG -> 3;
            case StateReason.PAUSED_FROM_SNAPSHOT -> 5;
            default -> 0;
        };
    }

    /** Ends the current run of a locked domain: shut off, status removed, transient domains forgotten. */
    void stopped(DomainObject d, int reason) {
        if (!d.isActive()) {
            return;
        }
        DomainRef ref = d.ref();
        d.setState(DomainState.SHUTOFF, reason == GONE ? StateReason.UNKNOWN : reason);
        d.setId(-1);
        d.setLiveXml(null);
        d.setRuntime(Map.of());
        store.deleteStatus(d);
        int detail = reason == GONE ? 5 : Math.max(0, reason - 1);
        publish(ref, DomainEventType.STOPPED, detail);
        if (!d.isPersistent()) {
            remove(d);
        }
    }

    /** Runs a driver call on a locked, running domain: the entry of the per-area facades (block jobs). */
    <T> T onRunning(DomainRef ref, BiFunction<DomainHandle, HypervisorDriver, T> action) {
        return locked(ref, (d, hv) -> {
            requireActive(d);
            return action.apply(handle(d), hv);
        });
    }

    /** Runs a driver call on a locked domain, running or not. */
    <T> T onDomain(DomainRef ref, BiFunction<DomainHandle, HypervisorDriver, T> action) {
        return locked(ref, (d, hv) -> action.apply(handle(d), hv));
    }

    void publishBlockJob(DomainRef ref, String disk, String path, int type, int status) {
        events.publish(new BlockJobEvent(driverName, ref, disk, path, type, status));
    }

    void publishAgentLifecycle(DomainRef ref, int state, int reason) {
        events.publish(new AgentLifecycleEvent(driverName, ref, state, reason));
    }

    void publishDeviceRemoved(DomainRef ref, String alias) {
        events.publish(new org.jvirtd.api.event.DeviceRemovedEvent(driverName, ref, alias));
    }

    void publishBalloonChange(DomainRef ref, long actualKiB) {
        events.publish(new org.jvirtd.api.event.BalloonChangeEvent(driverName, ref, actualKiB));
    }

    /** A TUNABLE event for a live change of a running domain, when its driver reports them (libvirt's QEMU driver). */
    void publishTunable(DomainObject d, HypervisorDriver hv, List<org.jvirtd.api.TypedParameter> params) {
        if (hv.reportsTunableEvents() && !params.isEmpty()) {
            events.publish(new org.jvirtd.api.event.TunableEvent(driverName, d.ref(), params));
        }
    }

    void publishJobCompleted(DomainRef ref, List<org.jvirtd.api.TypedParameter> params) {
        events.publish(new org.jvirtd.api.event.JobCompletedEvent(driverName, ref, params));
    }

    void publishBlockThreshold(DomainRef ref, String disk, String path, long threshold, long excess) {
        events.publish(new BlockThresholdEvent(driverName, ref, disk, path, threshold, excess));
    }

    void publish(DomainRef ref, DomainEventType type, int detail) {
        events.publish(new DomainEvent(driverName, ref, type, detail));
    }

    void close() {
        reports.shutdown();
        store.close();
    }
}
