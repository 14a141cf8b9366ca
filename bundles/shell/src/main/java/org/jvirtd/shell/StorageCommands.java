package org.jvirtd.shell;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.StoragePools;
import org.jvirtd.api.storage.PoolInfo;
import org.jvirtd.api.storage.PoolRef;
import org.jvirtd.api.storage.ProgressListener;
import org.jvirtd.api.storage.StorageFlags;
import org.jvirtd.api.storage.VolumeInfo;
import org.jvirtd.api.storage.VolumeRef;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * virsh's storage pool and volume commands in the Gogo scope {@code virt}, with virsh's names, options and
 * output. Gogo maps a command to a method of the same name, which a hyphen cannot be, so each method is
 * named with '_' ({@code pool_list}) and also registered under virsh's hyphenated name ({@code pool-list}).
 */
@Component(service = StorageCommands.class, immediate = true, property = {
    "osgi.command.scope=virt",
    "osgi.command.function=pool_list", "osgi.command.function=pool_define", "osgi.command.function=pool_define_as",
    "osgi.command.function=pool_build", "osgi.command.function=pool_start", "osgi.command.function=pool_destroy",
    "osgi.command.function=pool_delete", "osgi.command.function=pool_undefine", "osgi.command.function=pool_refresh",
    "osgi.command.function=pool_autostart", "osgi.command.function=pool_info", "osgi.command.function=pool_dumpxml",
    "osgi.command.function=pool_capabilities", "osgi.command.function=find_storage_pool_sources",
    "osgi.command.function=find_storage_pool_sources_as",
    "osgi.command.function=vol_list", "osgi.command.function=vol_create_as", "osgi.command.function=vol_create",
    "osgi.command.function=vol_clone", "osgi.command.function=vol_delete", "osgi.command.function=vol_resize",
    "osgi.command.function=vol_wipe", "osgi.command.function=vol_info", "osgi.command.function=vol_dumpxml",
    "osgi.command.function=vol_path", "osgi.command.function=vol_upload", "osgi.command.function=vol_download"})
public final class StorageCommands {
    private static final String[] POOL_STATES = {"inactive", "building", "running", "degraded", "inaccessible"};
    private static final String[] VOL_TYPES = {"file", "block", "dir", "network", "netdir", "ploop"};
    private static final String[] WIPE_ALGORITHMS = {"zero", "nnsa", "dod", "bsi", "gutmann", "schneier",
        "pfitzner7", "pfitzner33", "random", "trim"};

    private final StoragePools pools;
    private final HyphenatedNames aliases;

    @Activate
    public StorageCommands(@Reference StoragePools pools, BundleContext context) {
        this.pools = pools;
        this.aliases = HyphenatedNames.register(context, this);
    }

    @Deactivate
    void deactivate() {
        aliases.close();
    }

    @Descriptor("list pools (active ones, or all with --all)")
    public void pool_list(CommandSession session,
                          @Descriptor("list inactive & active pools")
                          @Parameter(names = "--all", presentValue = "true", absentValue = "false") boolean all,
                          @Descriptor("list inactive pools")
                          @Parameter(names = "--inactive", presentValue = "true", absentValue = "false")
                          boolean inactive) {
        Shell.run(session, null, () -> {
            int flags = all ? 0 : inactive ? StorageFlags.LIST_POOLS_INACTIVE : StorageFlags.LIST_POOLS_ACTIVE;
            Table table = new Table("Name", "State", "Autostart");
            for (PoolRef p : pools.listAllPools(flags)) {
                table.row(p.name(), pools.isPoolActive(p) ? "active" : "inactive",
                    pools.isPoolPersistent(p) ? (pools.poolAutostart(p) ? "yes" : "no") : "no");
            }
            System.out.print(table.render());
        });
    }

    @Descriptor("define an inactive persistent storage pool from an XML file")
    public void pool_define(CommandSession session, @Descriptor("file containing an XML pool description") String file) {
        Shell.run(session, "Failed to define pool from " + file, () -> {
            PoolRef p = pools.definePool(readFile(file), 0);
            System.out.println("Pool " + p.name() + " defined from " + file);
        });
    }

    @Descriptor("define a pool from a set of args")
    public void pool_define_as(CommandSession session,
                               @Descriptor("source host name")
                               @Parameter(names = "--source-host", absentValue = "") String host,
                               @Descriptor("source path (directory of a netfs pool)")
                               @Parameter(names = "--source-path", absentValue = "") String path,
                               @Descriptor("source device (fs, logical and disk pools)")
                               @Parameter(names = "--source-dev", absentValue = "") String dev,
                               @Descriptor("source name (volume group of a logical pool)")
                               @Parameter(names = "--source-name", absentValue = "") String sourceName,
                               @Descriptor("source format (ext4, nfs, lvm2, gpt, ...)")
                               @Parameter(names = "--source-format", absentValue = "") String format,
                               @Descriptor("target path of the pool")
                               @Parameter(names = "--target", absentValue = "") String target,
                               @Descriptor("name of the pool") String name,
                               @Descriptor("type of the pool (dir, fs, netfs, logical, disk)") String type) {
        Shell.run(session, "Failed to define pool " + name, () -> {
            PoolRef p = pools.definePool(poolXml(name, type, host, path, dev, sourceName, format, target), 0);
            System.out.println("Pool " + p.name() + " defined");
        });
    }

    static String poolXml(String name, String type, String host, String path, String dev, String sourceName,
                          String format, String target) {
        StringBuilder xml = new StringBuilder("<pool type='" + escape(type) + "'>\n  <name>" + escape(name)
            + "</name>\n");
        StringBuilder source = new StringBuilder();
        if (!host.isEmpty()) {
            source.append("    <host name='").append(escape(host)).append("'/>\n");
        }
        if (!path.isEmpty()) {
            source.append("    <dir path='").append(escape(path)).append("'/>\n");
        }
        if (!dev.isEmpty()) {
            source.append("    <device path='").append(escape(dev)).append("'/>\n");
        }
        if (!format.isEmpty()) {
            source.append("    <format type='").append(escape(format)).append("'/>\n");
        }
        if (!sourceName.isEmpty()) {
            source.append("    <name>").append(escape(sourceName)).append("</name>\n");
        }
        if (source.length() > 0) {
            xml.append("  <source>\n").append(source).append("  </source>\n");
        }
        if (!target.isEmpty()) {
            xml.append("  <target>\n    <path>").append(escape(target)).append("</path>\n  </target>\n");
        }
        return xml.append("</pool>\n").toString();
    }

    @Descriptor("build a pool")
    public void pool_build(CommandSession session,
                           @Descriptor("overwrite any existing data")
                           @Parameter(names = "--overwrite", presentValue = "true", absentValue = "false")
                           boolean overwrite,
                           @Descriptor("do not overwrite any existing data")
                           @Parameter(names = "--no-overwrite", presentValue = "true", absentValue = "false")
                           boolean noOverwrite,
                           @Descriptor("pool name or uuid") String pool) {
        withPool(session, pool, "Failed to build pool %s", p -> {
            pools.buildPool(p, (overwrite ? StorageFlags.BUILD_OVERWRITE : 0)
                | (noOverwrite ? StorageFlags.BUILD_NO_OVERWRITE : 0));
            System.out.println("Pool " + p.name() + " built");
        });
    }

    @Descriptor("start a (previously defined) inactive pool")
    public void pool_start(CommandSession session,
                           @Descriptor("build the pool as normal")
                           @Parameter(names = "--build", presentValue = "true", absentValue = "false") boolean build,
                           @Descriptor("pool name or uuid") String pool) {
        withPool(session, pool, "Failed to start pool %s", p -> {
            pools.startPool(p, build ? StorageFlags.CREATE_WITH_BUILD : 0);
            System.out.println("Pool " + p.name() + " started");
        });
    }

    @Descriptor("destroy (stop) a pool")
    public void pool_destroy(CommandSession session, @Descriptor("pool name or uuid") String pool) {
        withPool(session, pool, "Failed to destroy pool %s", p -> {
            pools.destroyPool(p);
            System.out.println("Pool " + p.name() + " destroyed");
        });
    }

    @Descriptor("delete a pool")
    public void pool_delete(CommandSession session, @Descriptor("pool name or uuid") String pool) {
        withPool(session, pool, "Failed to delete pool %s", p -> {
            pools.deletePool(p, 0);
            System.out.println("Pool " + p.name() + " deleted");
        });
    }

    @Descriptor("undefine an inactive pool")
    public void pool_undefine(CommandSession session, @Descriptor("pool name or uuid") String pool) {
        withPool(session, pool, "Failed to undefine pool %s", p -> {
            pools.undefinePool(p);
            System.out.println("Pool " + p.name() + " has been undefined");
        });
    }

    @Descriptor("refresh a pool")
    public void pool_refresh(CommandSession session, @Descriptor("pool name or uuid") String pool) {
        withPool(session, pool, "Failed to refresh pool %s", p -> {
            pools.refreshPool(p, 0);
            System.out.println("Pool " + p.name() + " refreshed");
        });
    }

    @Descriptor("autostart a pool")
    public void pool_autostart(CommandSession session,
                               @Descriptor("disable autostarting")
                               @Parameter(names = "--disable", presentValue = "true", absentValue = "false")
                               boolean disable,
                               @Descriptor("pool name or uuid") String pool) {
        withPool(session, pool, disable ? "failed to unmark pool %s as autostarted"
            : "failed to mark pool %s as autostarted", p -> {
                pools.setPoolAutostart(p, !disable);
                System.out.println("Pool " + p.name() + (disable ? " unmarked" : " marked") + " as autostarted");
            });
    }

    @Descriptor("storage pool information")
    public void pool_info(CommandSession session, @Descriptor("pool name or uuid") String pool) {
        withPool(session, pool, null, p -> {
            PoolInfo info = pools.poolInfo(p);
            StringBuilder out = new StringBuilder();
            line(out, "Name:", p.name());
            line(out, "UUID:", p.uuid().toString());
            line(out, "State:", POOL_STATES[info.state()]);
            line(out, "Persistent:", pools.isPoolPersistent(p) ? "yes" : "no");
            line(out, "Autostart:", pools.isPoolPersistent(p) && pools.poolAutostart(p) ? "yes" : "no");
            if (info.state() == StorageFlags.POOL_RUNNING || info.state() == StorageFlags.POOL_DEGRADED) {
                line(out, "Capacity:", prettyCapacity(info.capacity()));
                line(out, "Allocation:", prettyCapacity(info.allocation()));
                line(out, "Available:", prettyCapacity(info.available()));
            }
            System.out.print(out);
        });
    }

    @Descriptor("pool information in XML")
    public void pool_dumpxml(CommandSession session,
                             @Descriptor("show inactive defined XML")
                             @Parameter(names = "--inactive", presentValue = "true", absentValue = "false")
                             boolean inactive,
                             @Descriptor("pool name or uuid") String pool) {
        withPool(session, pool, null, p -> System.out.print(pools.poolXml(p, inactive ? StorageFlags.XML_INACTIVE : 0)));
    }

    @Descriptor("storage pool capabilities")
    public void pool_capabilities(CommandSession session) {
        Shell.run(session, null, () -> System.out.print(pools.poolCapabilities(0)));
    }

    @Descriptor("discover potential storage pool sources")
    public void find_storage_pool_sources(CommandSession session, @Descriptor("type of storage pool sources to find")
                                          String type) {
        findSources(session, type, null);
    }

    @Descriptor("discover potential storage pool sources")
    public void find_storage_pool_sources(CommandSession session,
                                          @Descriptor("type of storage pool sources to find") String type,
                                          @Descriptor("optional file of source xml to query for pools") String srcSpec) {
        Shell.run(session, "Failed to find any " + type + " pool sources", () -> {
            String spec;
            try {
                spec = java.nio.file.Files.readString(java.nio.file.Path.of(srcSpec));
            } catch (java.io.IOException e) {
                throw new ShellError("Failed to read file '" + srcSpec + "' to find sources: " + Shell.reason(e));
            }
            System.out.println(pools.findPoolSources(type, spec, 0));
        });
    }

    @Descriptor("find potential storage pool sources")
    public void find_storage_pool_sources_as(CommandSession session,
                                             @Descriptor("type of storage pool sources to find") String type) {
        findSources(session, type, null);
    }

    @Descriptor("find potential storage pool sources")
    public void find_storage_pool_sources_as(CommandSession session,
                                             @Descriptor("type of storage pool sources to find") String type,
                                             @Descriptor("optional host to query") String host) {
        findSources(session, type, "<source>\n  <host name='" + host + "'/>\n</source>\n");
    }

    @Descriptor("find potential storage pool sources")
    public void find_storage_pool_sources_as(CommandSession session,
                                             @Descriptor("type of storage pool sources to find") String type,
                                             @Descriptor("optional host to query") String host,
                                             @Descriptor("optional port to query") String port) {
        findSources(session, type, "<source>\n  <host name='" + host + "' port='" + port + "'/>\n</source>\n");
    }

    /** virsh prints the {@code <sources>} document and an empty line. */
    private void findSources(CommandSession session, String type, String spec) {
        Shell.run(session, "Failed to find any " + type + " pool sources",
            () -> System.out.println(pools.findPoolSources(type, spec, 0)));
    }

    @Descriptor("list volumes of a pool")
    public void vol_list(CommandSession session, @Descriptor("pool name or uuid") String pool) {
        withPool(session, pool, null, p -> {
            Table table = new Table("Name", "Path");
            for (VolumeRef v : pools.listAllVolumes(p, 0)) {
                table.row(v.name(), pools.volumePath(v));
            }
            System.out.print(table.render());
        });
    }

    @Descriptor("create a volume from a set of args")
    public void vol_create_as(CommandSession session,
                              @Descriptor("initial allocation size, as scaled integer (default bytes)")
                              @Parameter(names = "--allocation", absentValue = "") String allocation,
                              @Descriptor("file format type raw,bochs,qcow,qcow2,qed,vmdk")
                              @Parameter(names = "--format", absentValue = "") String format,
                              @Descriptor("the backing volume if taking a snapshot")
                              @Parameter(names = "--backing-vol", absentValue = "") String backing,
                              @Descriptor("format of backing volume if taking a snapshot")
                              @Parameter(names = "--backing-vol-format", absentValue = "") String backingFormat,
                              @Descriptor("preallocate metadata (for qcow2 instead of full allocation)")
                              @Parameter(names = "--prealloc-metadata", presentValue = "true", absentValue = "false")
                              boolean preallocMetadata,
                              @Descriptor("pool name") String pool,
                              @Descriptor("name of the volume") String name,
                              @Descriptor("size of the vol, as scaled integer (default bytes)") String capacity) {
        withPool(session, pool, "Failed to create vol " + name, p -> {
            StringBuilder xml = new StringBuilder("<volume>\n  <name>" + escape(name) + "</name>\n  <capacity>"
                + scaled(capacity) + "</capacity>\n");
            if (!allocation.isEmpty()) {
                xml.append("  <allocation>").append(scaled(allocation)).append("</allocation>\n");
            }
            if (!format.isEmpty()) {
                xml.append("  <target>\n    <format type='").append(escape(format)).append("'/>\n  </target>\n");
            }
            if (!backing.isEmpty()) {
                String backingPath = volume(p, backing).map(pools::volumePath).orElse(backing);
                xml.append("  <backingStore>\n    <path>").append(escape(backingPath)).append("</path>\n");
                if (!backingFormat.isEmpty()) {
                    xml.append("    <format type='").append(escape(backingFormat)).append("'/>\n");
                }
                xml.append("  </backingStore>\n");
            }
            pools.createVolume(p, xml.append("</volume>\n").toString(),
                preallocMetadata ? StorageFlags.VOL_CREATE_PREALLOC_METADATA : 0);
            System.out.println("Vol " + name + " created");
        });
    }

    @Descriptor("create a vol from an XML file")
    public void vol_create(CommandSession session, @Descriptor("pool name") String pool,
                           @Descriptor("file containing an XML vol description") String file) {
        withPool(session, pool, "Failed to create vol from " + file, p -> {
            VolumeRef v = pools.createVolume(p, readFile(file), 0);
            System.out.println("Vol " + v.name() + " created from " + file);
        });
    }

    @Descriptor("clone a volume")
    public void vol_clone(CommandSession session,
                          @Descriptor("pool name or uuid")
                          @Parameter(names = "--pool", absentValue = "") String pool,
                          @Descriptor("orig vol name or key") String vol,
                          @Descriptor("clone name") String newName) {
        withVolume(session, pool, vol, "Failed to clone vol from " + vol, v -> {
            String xml = pools.volumeXml(v, 0).replaceFirst("<name>[^<]*</name>", "<name>" + escape(newName) + "</name>")
                .replaceFirst("(?s)<key>.*?</key>\\s*", "").replaceFirst("(?s)<path>.*?</path>\\s*", "");
            PoolRef target = pools.lookupPoolByVolume(v);
            pools.createVolumeFrom(target, xml, v, 0, progress("Cloning"));
            System.out.println("Vol " + newName + " cloned from " + v.name());
        });
    }

    @Descriptor("delete a vol")
    public void vol_delete(CommandSession session,
                           @Descriptor("pool name or uuid") @Parameter(names = "--pool", absentValue = "") String pool,
                           @Descriptor("vol name, key or path") String vol) {
        withVolume(session, pool, vol, "Failed to delete vol " + vol, v -> {
            pools.deleteVolume(v, 0);
            System.out.println("Vol " + vol + " deleted");
        });
    }

    @Descriptor("resize a vol")
    public void vol_resize(CommandSession session,
                           @Descriptor("pool name or uuid") @Parameter(names = "--pool", absentValue = "") String pool,
                           @Descriptor("allocate the new capacity, rather than leaving it sparse")
                           @Parameter(names = "--allocate", presentValue = "true", absentValue = "false")
                           boolean allocate,
                           @Descriptor("use capacity as a delta to the current size")
                           @Parameter(names = "--delta", presentValue = "true", absentValue = "false") boolean delta,
                           @Descriptor("allow the resize to shrink the volume")
                           @Parameter(names = "--shrink", presentValue = "true", absentValue = "false") boolean shrink,
                           @Descriptor("vol name, key or path") String vol,
                           @Descriptor("new capacity for the vol, as scaled integer (default bytes)") String capacity) {
        withVolume(session, pool, vol, "Failed to change size of volume '" + vol + "' to " + capacity, v -> {
            pools.resizeVolume(v, scaled(capacity), (allocate ? StorageFlags.RESIZE_ALLOCATE : 0)
                | (delta ? StorageFlags.RESIZE_DELTA : 0) | (shrink ? StorageFlags.RESIZE_SHRINK : 0));
            System.out.println(delta ? "Size of volume '" + v.name() + "' successfully changed by " + capacity
                : "Size of volume '" + v.name() + "' successfully changed to " + capacity);
        });
    }

    @Descriptor("wipe a vol")
    public void vol_wipe(CommandSession session,
                         @Descriptor("pool name or uuid") @Parameter(names = "--pool", absentValue = "") String pool,
                         @Descriptor("perform selected wiping algorithm")
                         @Parameter(names = "--algorithm", absentValue = "zero") String algorithm,
                         @Descriptor("vol name, key or path") String vol) {
        withVolume(session, pool, vol, "Failed to wipe vol " + vol, v -> {
            int alg = List.of(WIPE_ALGORITHMS).indexOf(algorithm);
            if (alg < 0) {
                throw new ShellError("Unsupported algorithm '" + algorithm + "'");
            }
            pools.wipeVolume(v, alg, 0, progress("Wiping"));
            System.out.println("Vol " + vol + " wiped");
        });
    }

    @Descriptor("storage vol information")
    public void vol_info(CommandSession session,
                         @Descriptor("pool name or uuid") @Parameter(names = "--pool", absentValue = "") String pool,
                         @Descriptor("vol name, key or path") String vol) {
        withVolume(session, pool, vol, null, v -> {
            VolumeInfo info = pools.volumeInfo(v);
            StringBuilder out = new StringBuilder();
            line(out, "Name:", info.name());
            line(out, "Type:", VOL_TYPES[info.type()]);
            line(out, "Capacity:", prettyCapacity(info.capacity()));
            line(out, "Allocation:", prettyCapacity(info.allocation()));
            System.out.print(out);
        });
    }

    @Descriptor("vol information in XML")
    public void vol_dumpxml(CommandSession session,
                            @Descriptor("pool name or uuid") @Parameter(names = "--pool", absentValue = "") String pool,
                            @Descriptor("vol name, key or path") String vol) {
        withVolume(session, pool, vol, null, v -> System.out.print(pools.volumeXml(v, 0)));
    }

    @Descriptor("returns the volume path for a given volume name or key")
    public void vol_path(CommandSession session,
                         @Descriptor("pool name or uuid") @Parameter(names = "--pool", absentValue = "") String pool,
                         @Descriptor("volume name or key") String vol) {
        withVolume(session, pool, vol, null, v -> System.out.println(pools.volumePath(v)));
    }

    @Descriptor("upload file contents to a volume")
    public void vol_upload(CommandSession session,
                           @Descriptor("pool name or uuid") @Parameter(names = "--pool", absentValue = "") String pool,
                           @Descriptor("volume offset to upload to")
                           @Parameter(names = "--offset", absentValue = "0") long offset,
                           @Descriptor("amount of data to upload")
                           @Parameter(names = "--length", absentValue = "0") long length,
                           @Descriptor("vol name, key or path") String vol,
                           @Descriptor("file") String file) {
        withVolume(session, pool, vol, "cannot upload to volume " + vol, v -> {
            Path source = Path.of(file);
            try (InputStream in = Files.newInputStream(source);
                 OutputStream out = Channels.newOutputStream(pools.upload(v, offset, length, 0))) {
                copy(in, out, length > 0 ? length : Files.size(source), progress("Uploading"));
            } catch (IOException e) {
                throw new ShellError("cannot upload to volume " + vol, Shell.reason(e));
            }
        });
    }

    @Descriptor("download volume contents to a file")
    public void vol_download(CommandSession session,
                             @Descriptor("pool name or uuid") @Parameter(names = "--pool", absentValue = "") String pool,
                             @Descriptor("volume offset to download from")
                             @Parameter(names = "--offset", absentValue = "0") long offset,
                             @Descriptor("amount of data to download")
                             @Parameter(names = "--length", absentValue = "0") long length,
                             @Descriptor("vol name, key or path") String vol,
                             @Descriptor("file") String file) {
        withVolume(session, pool, vol, "cannot download from volume " + vol, v -> {
            long total = length > 0 ? length : pools.volumeInfo(v).capacity() - offset;
            try (InputStream in = Channels.newInputStream(pools.download(v, offset, length, 0));
                 OutputStream out = Files.newOutputStream(Path.of(file), StandardOpenOption.CREATE,
                     StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                copy(in, out, total, progress("Downloading"));
            } catch (IOException e) {
                throw new ShellError("cannot download from volume " + vol, Shell.reason(e));
            }
        });
    }

    private static void copy(InputStream in, OutputStream out, long total, ProgressListener progress)
        throws IOException {
        byte[] buffer = new byte[1 << 20];
        long done = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            out.write(buffer, 0, n);
            done += n;
            progress.progress(done, Math.max(total, done));
        }
    }

    /** Shows a long job's progress on stderr, so that stdout stays what virsh prints. */
    private static ProgressListener progress(String what) {
        int[] last = {-1};
        return (done, total) -> {
            int percent = total <= 0 ? 100 : (int) (done * 100 / total);
            if (percent != last[0]) {
                last[0] = percent;
                System.err.print("\r" + what + ": [" + String.format(Locale.ROOT, "%3d", percent) + " %]"
                    + (percent == 100 ? "\n" : ""));
            }
        };
    }

    private void withPool(CommandSession session, String pool, String failure, PoolAction action) {
        Shell.run(session, null, () -> {
            PoolRef p = lookupPool(pool);
            try {
                action.run(p);
            } catch (VirtException | ShellError e) {
                throw failure == null ? e : new ShellError(String.format(failure, p.name()), e.getMessage());
            }
        });
    }

    private void withVolume(CommandSession session, String pool, String vol, String failure, VolumeAction action) {
        Shell.run(session, null, () -> {
            VolumeRef v = lookupVolume(pool, vol);
            try {
                action.run(v);
            } catch (VirtException e) {
                throw failure == null ? e : new ShellError(failure, e.getMessage());
            }
        });
    }

    /** As virsh: a UUID first, then a name. */
    private PoolRef lookupPool(String key) {
        try {
            if (key.length() == 36) {
                try {
                    return pools.lookupPoolByUuid(UUID.fromString(key));
                } catch (IllegalArgumentException | VirtException notAUuid) {
                    // fall through to the name
                }
            }
            return pools.lookupPoolByName(key);
        } catch (VirtException e) {
            throw new ShellError("failed to get pool '" + key + "'", e.getMessage());
        }
    }

    /** As virsh: with --pool, a name in that pool; otherwise a key, then a path. */
    private VolumeRef lookupVolume(String pool, String vol) {
        if (!pool.isEmpty()) {
            return volume(lookupPool(pool), vol)
                .orElseThrow(() -> new ShellError("failed to get vol '" + vol + "'",
                    "Storage volume not found: no storage vol with matching name '" + vol + "'"));
        }
        try {
            return pools.lookupVolumeByKey(vol);
        } catch (VirtException notAKey) {
            try {
                return pools.lookupVolumeByPath(vol);
            } catch (VirtException e) {
                throw new ShellError("failed to get vol '" + vol + "', specifying --pool might help", e.getMessage());
            }
        }
    }

    private java.util.Optional<VolumeRef> volume(PoolRef pool, String name) {
        try {
            return java.util.Optional.of(pools.lookupVolumeByName(pool, name));
        } catch (VirtException e) {
            return java.util.Optional.empty();
        }
    }

    /** virsh's scaled integers: a number with an optional unit (b, k, KiB, KB, M, ...), bytes by default. */
    static long scaled(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)\\s*([A-Za-z]*)").matcher(text.strip());
        if (!m.matches()) {
            throw new ShellError("Scaled numeric value '" + text + "' for <size> option is malformed or out of range");
        }
        String unit = m.group(2).toLowerCase(Locale.ROOT);
        long scale;
        if (unit.isEmpty() || unit.equals("b") || unit.equals("byte") || unit.equals("bytes")) {
            scale = 1;
        } else {
            int power = "kmgtpe".indexOf(unit.charAt(0)) + 1;
            long base = unit.length() == 2 && unit.charAt(1) == 'b' ? 1000 : 1024;
            if (power == 0 || !(unit.length() == 1 || unit.substring(1).equals("ib") || base == 1000)) {
                throw new ShellError("Scaled numeric value '" + text + "' for <size> option is malformed or out of range");
            }
            scale = 1;
            for (int i = 0; i < power; i++) {
                scale *= base;
            }
        }
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1)), scale);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new ShellError("Scaled numeric value '" + text + "' for <size> option is malformed or out of range");
        }
    }

    /** virsh's vshPrettyCapacity: two decimals in the largest binary unit that keeps the value at least 1. */
    static String prettyCapacity(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.2f %s", value, units[unit]);
    }

    private static String readFile(String file) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ShellError("Failed to open file '" + file + "': " + Shell.reason(e));
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace("'", "&apos;");
    }

    private static void line(StringBuilder out, String label, String value) {
        out.append(String.format("%-15s %s%n", label, value));
    }

    @FunctionalInterface
    interface PoolAction {
        void run(PoolRef pool);
    }

    @FunctionalInterface
    interface VolumeAction {
        void run(VolumeRef volume);
    }
}
