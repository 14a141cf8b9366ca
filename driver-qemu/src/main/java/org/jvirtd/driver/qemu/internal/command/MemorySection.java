package org.jvirtd.driver.qemu.internal.command;

import java.util.List;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.driver.qemu.internal.conf.QemuConf;
import org.jvirtd.driver.qemu.internal.guest.GuestDef;

/**
 * -m, the RAM backend object, -overcommit, -smp, the I/O thread objects and the NUMA nodes.
 */
final class MemorySection {
    private MemorySection() {
    }

    static void memoryAndCpus(BuildContext c, List<String> argv) {
        GuestDef.Extras extras = c.def.extras();
        // the memory devices are hot-plugged on top of the initial memory
        long initialKiB = c.def.memoryKiB() - (extras.maxMemoryKiB() != null ? extras.hotplugKiB() : 0);
        if (!c.def.numa().isEmpty()) {
            // libvirt rounds each node up to whole MiB; the initial memory is what the nodes then hold
            initialKiB = c.def.numa().stream().mapToLong(cell -> (cell.memoryKiB() + 1023) / 1024 * 1024).sum();
        }
        long mib = (initialKiB + 1023) / 1024;
        argv.add("-m");
        if (extras.maxMemoryKiB() != null) {
            // memory hotplug: the initial memory (without the memory devices), the slots and the ceiling
            argv.add("size=" + initialKiB + "k,slots="
                + (extras.memorySlots() == null ? 0 : extras.memorySlots()) + ",maxmem=" + extras.maxMemoryKiB() + "k");
        } else {
            argv.add(Long.toString(mib));
        }
        GuestDef.MemoryBacking backing = c.def.memoryBacking();
        if (!c.def.numa().isEmpty()) {
            if (backing.hugepages()) {
                throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU,
                    "jvirtd does not back guest NUMA nodes with huge pages yet");
            }
            // each node's memory is a backend of its own (below), none for the whole machine
        } else if (c.machine.defaultRamId() != null) {
            c.object(argv, hostNodes(c, backend(c, c.machine.defaultRamId(), null, null, true)
                .put("size", mib * 1024 * 1024)));
        } else if (backing.hugepages()) {
            QemuConf.HugetlbfsMount mount = hugetlbfs(c, backing.hugepageSizeKiB());
            argv.add("-mem-prealloc");
            argv.add("-mem-path");
            argv.add(mount.path() + "/libvirt/qemu/" + c.def.id() + "-" + c.def.name());
        }
        argv.add("-overcommit");
        argv.add("mem-lock=" + (backing.locked() ? "on" : "off"));
        argv.add("-smp");
        argv.add(smp(c));
        for (int id : c.def.iothreadIds()) {
            c.object(argv, pool(Props.of("qom-type", "iothread").put("id", "iothread" + id),
                extras.iothreadPools().get(id)));
        }
        if (extras.mainLoopPool() != null) {
            c.object(argv, pool(Props.of("qom-type", "main-loop").put("id", "main-loop"), extras.mainLoopPool()));
        }
        numa(c, argv);
    }

    private static Props pool(Props thread, GuestDef.ThreadPool pool) {
        return pool == null ? thread : thread.put("thread-pool-min", pool.min()).put("thread-pool-max", pool.max());
    }

    /** A RAM backend bound to the host nodes of {@code <numatune>} with its policy (restrictive leaves it to cgroups). */
    private static Props hostNodes(BuildContext c, Props backend) {
        GuestDef.NumaTune tune = c.def.numaTune();
        if (tune.nodes().isEmpty() || "restrictive".equals(tune.mode())) {
            return backend;
        }
        return backend.put("host-nodes", tune.nodes()).put("policy", "strict".equals(tune.mode()) ? "bind" : tune.mode());
    }

    /**
     * The RAM backend object of the machine's memory ({@code system}) or of a NUMA node, without its size, as
     * libvirt 9.0 chooses it: memfd when the memory backing's source says so, a file (huge pages, the domain's
     * memory backing folder) when huge pages, an access mode or a file source ask for one, else plain RAM;
     * shared or private as the node's or the domain's access mode says, preallocated for an immediate
     * allocation or huge pages.
     */
    private static Props backend(BuildContext c, String id, String nodeAccess, String nodeDiscard, boolean system) {
        GuestDef.MemoryBacking backing = c.def.memoryBacking();
        String access = nodeAccess != null ? nodeAccess : backing.access();
        boolean discard = nodeDiscard != null ? "yes".equals(nodeDiscard) : backing.discard();
        boolean prealloc = backing.immediate();
        Props props;
        if ("memfd".equals(backing.source())) {
            props = Props.of("qom-type", "memory-backend-memfd").put("id", id);
            if (backing.hugepages()) {
                props.put("hugetlb", true).put("hugetlbsize", hugetlbfs(c, backing.hugepageSizeKiB()).pageSizeKiB() * 1024);
                prealloc = true;
            }
            share(props, access);
        } else if (backing.hugepages() || access != null || "file".equals(backing.source())) {
            props = Props.of("qom-type", "memory-backend-file").put("id", id);
            if (backing.hugepages()) {
                QemuConf.HugetlbfsMount mount = hugetlbfs(c, backing.hugepageSizeKiB());
                String shortName = c.def.name().length() > 20 ? c.def.name().substring(0, 20) : c.def.name();
                props.put("mem-path", mount.path() + "/libvirt/qemu/" + c.def.id() + "-" + shortName);
                prealloc = true;
            } else {
                props.put("mem-path", c.cfg.memoryBackingDir(c.def.id(), c.def.name()).resolve(id).toString());
            }
            if (discard) {
                props.put("discard-data", true);
            }
            share(props, access);
        } else {
            return prealloc ? Props.of("qom-type", "memory-backend-ram").put("id", id).put("prealloc", true)
                : Props.of("qom-type", "memory-backend-ram").put("id", id);
        }
        if (system) {
            // what QEMU's own default memory backend sets, kept for migration compatibility
            props.put("x-use-canonical-path-for-ramblock-id", false);
        }
        return prealloc ? props.put("prealloc", true) : props;
    }

    private static void share(Props props, String access) {
        if ("shared".equals(access) || "private".equals(access)) {
            props.put("share", "shared".equals(access));
        }
    }

    /** x86 memory modules are sized in whole 2 MiB blocks (libvirt rounds each up before QEMU starts). */
    private static final long MODULE_ALIGN_KIB = 2048;

    /**
     * The DIMM and NVDIMM memory devices, each a backend object ({@code mem} + its id) and its device, in the
     * guest node and slot the definition gives (else the first free slot); virtio memory devices are not built.
     */
    static void memoryDevices(BuildContext c, List<String> argv) {
        List<GuestDef.MemoryDevice> devices = c.def.extras().memoryDevices();
        java.util.Set<Integer> taken = new java.util.HashSet<>();
        devices.forEach(m -> {
            if (m.slot() != null) {
                taken.add(m.slot());
            }
        });
        for (GuestDef.MemoryDevice m : devices) {
            boolean nvdimm = "nvdimm".equals(m.model());
            if (!nvdimm && !"dimm".equals(m.model())) {
                continue;
            }
            Integer slot = m.slot();
            if (slot == null) {
                slot = 0;
                while (taken.contains(slot)) {
                    slot++;
                }
                taken.add(slot);
            }
            // libvirt names a module after its slot
            String id = (nvdimm ? "nvdimm" : "dimm") + slot;
            GuestDef.NumaCell cell = m.node() == null ? null
                : c.def.numa().stream().filter(n -> n.id() == m.node()).findFirst().orElse(null);
            String access = m.access() != null ? m.access() : cell != null ? cell.memAccess() : null;
            String discard = m.discard() != null ? m.discard() : cell != null ? cell.discard() : null;
            long bytes = (m.sizeKiB() + MODULE_ALIGN_KIB - 1) / MODULE_ALIGN_KIB * MODULE_ALIGN_KIB * 1024;
            Props backend;
            if (nvdimm) {
                backend = Props.of("qom-type", "memory-backend-file").put("id", "mem" + id).put("mem-path", m.path());
                share(backend, access != null ? access : c.def.memoryBacking().access());
                if (!m.pmem()) {
                    backend.put("prealloc", true);
                }
                backend.put("size", bytes);
                if (m.pmem()) {
                    backend.put("pmem", true);
                }
            } else if (m.pageSizeKiB() != 0 && m.pageSizeKiB() != 4) {
                if (c.cfg.hugetlbfs().isEmpty()) {
                    throw VirtErrors.internal(ErrorDomain.QEMU,
                        "hugetlbfs filesystem is not mounted or disabled by administrator config");
                }
                QemuConf.HugetlbfsMount mount = hugetlbfs(c, m.pageSizeKiB());
                String shortName = c.def.name().length() > 20 ? c.def.name().substring(0, 20) : c.def.name();
                backend = Props.of("qom-type", "memory-backend-file").put("id", "mem" + id)
                    .put("mem-path", mount.path() + "/libvirt/qemu/" + c.def.id() + "-" + shortName);
                share(backend, access);
                backend.put("prealloc", true).put("size", bytes);
            } else {
                backend = backend(c, "mem" + id, access, discard, false).put("size", bytes);
            }
            c.object(argv, backend);
            Props device = Props.of("driver", nvdimm ? "nvdimm" : "pc-dimm");
            if (m.node() != null) {
                device.put("node", m.node());
            }
            if (nvdimm && m.labelKiB() > 0) {
                device.put("label-size", m.labelKiB() * 1024);
            }
            if (nvdimm && m.readonly()) {
                device.put("unarmed", true);
            }
            c.device(argv, device.put("memdev", "mem" + id).put("id", id).put("slot", slot));
        }
    }

    /**
     * Whether a NUMA node needs a backend object: its memory shared or private, a file or memfd source (huge
     * pages are refused before). Where none does and the machine type still takes {@code -numa node,mem=},
     * libvirt gives the nodes' sizes that way.
     */
    private static boolean needsBackend(BuildContext c, GuestDef.NumaCell cell) {
        String source = c.def.memoryBacking().source();
        return cell.memAccess() != null || c.def.memoryBacking().access() != null
            || "file".equals(source) || "memfd".equals(source);
    }

    /** Each NUMA node: its RAM backend and -numa node with its vCPU ranges, then the distances between nodes. */
    private static void numa(BuildContext c, List<String> argv) {
        boolean legacy = c.machine.numaMemSupported() && c.def.numa().stream().noneMatch(cell -> needsBackend(c, cell));
        if (legacy && c.def.memoryBacking().immediate() && !c.def.numa().isEmpty()) {
            argv.add("-mem-prealloc");
        }
        for (GuestDef.NumaCell cell : c.def.numa()) {
            String id = "ram-node" + cell.id();
            // libvirt aligns each node's memory up to whole MiB on x86 before it starts QEMU
            long mib = (cell.memoryKiB() + 1023) / 1024;
            if (!legacy) {
                c.object(argv, hostNodes(c, backend(c, id, cell.memAccess(), cell.discard(), false)
                    .put("size", mib * 1024 * 1024)));
            }
            StringBuilder node = new StringBuilder("node,nodeid=").append(cell.id());
            if (cell.cpus() != null) {
                for (String range : cell.cpus().split(",")) {
                    node.append(",cpus=").append(range.strip());
                }
            }
            argv.add("-numa");
            argv.add(legacy ? node.append(",mem=").append(mib).toString()
                : node.append(",memdev=").append(id).toString());
        }
        for (GuestDef.NumaCell cell : c.def.numa()) {
            cell.distances().forEach((to, value) -> {
                argv.add("-numa");
                argv.add("dist,src=" + cell.id() + ",dst=" + to + ",val=" + value);
            });
        }
    }

    private static QemuConf.HugetlbfsMount hugetlbfs(BuildContext c, long pageKiB) {
        return c.cfg.hugetlbfs().stream()
            .filter(m -> pageKiB == 0 ? m.isDefault() : m.pageSizeKiB() == pageKiB)
            .findFirst()
            .orElseThrow(() -> VirtErrors.internal(ErrorDomain.QEMU,
                "Unable to find any usable hugetlbfs mount for " + pageKiB + " KiB"));
    }

    private static String smp(BuildContext c) {
        GuestDef def = c.def;
        GuestDef.Topology t = def.cpu() == null ? null : def.cpu().topology();
        int vcpus = def.vcpus();
        // the vCPUs online at start, then the most the guest can have when that is more
        String counts = def.currentVcpus() < vcpus ? def.currentVcpus() + ",maxcpus=" + vcpus : Integer.toString(vcpus);
        if (t == null) {
            return counts + ",sockets=" + vcpus + ",cores=1,threads=1";
        }
        int total = t.sockets() * t.dies() * t.cores() * t.threads();
        StringBuilder out = new StringBuilder().append(def.currentVcpus() < vcpus ? counts
            : Integer.toString(Math.max(vcpus, total))).append(",sockets=").append(t.sockets());
        if (c.caps.has("smp-dies")) {
            out.append(",dies=").append(t.dies());
        }
        return out.append(",cores=").append(t.cores()).append(",threads=").append(t.threads()).toString();
    }
}
