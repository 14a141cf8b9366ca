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
            Props ram;
            if (backing.hugepages()) {
                QemuConf.HugetlbfsMount mount = hugetlbfs(c, backing.hugepageSizeKiB());
                String shortName = c.def.name().length() > 20 ? c.def.name().substring(0, 20) : c.def.name();
                ram = Props.of("qom-type", "memory-backend-file").put("id", c.machine.defaultRamId())
                    .put("mem-path", mount.path() + "/libvirt/qemu/" + c.def.id() + "-" + shortName)
                    .put("x-use-canonical-path-for-ramblock-id", false).put("prealloc", true);
            } else if ("memfd".equals(backing.source())) {
                ram = Props.of("qom-type", "memory-backend-memfd").put("id", c.machine.defaultRamId())
                    .put("share", share(backing)).put("x-use-canonical-path-for-ramblock-id", false)
                    .put("prealloc", preallocated(backing));
            } else if (backing.fileBacked()) {
                String id = c.machine.defaultRamId();
                ram = Props.of("qom-type", "memory-backend-file").put("id", id)
                    .put("mem-path", c.cfg.memoryBackingDir(c.def.id(), c.def.name()).resolve(id).toString())
                    .put("share", share(backing)).put("x-use-canonical-path-for-ramblock-id", false)
                    .put("prealloc", preallocated(backing));
            } else {
                ram = Props.of("qom-type", "memory-backend-ram").put("id", c.machine.defaultRamId());
            }
            c.object(argv, hostNodes(c, ram.put("size", mib * 1024 * 1024)));
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
            c.object(argv, Props.of("qom-type", "iothread").put("id", "iothread" + id));
        }
        numa(c, argv);
    }

    /** {@code <allocation mode='immediate'/>}: QEMU allocates the whole RAM at start; absent otherwise. */
    private static Boolean preallocated(GuestDef.MemoryBacking backing) {
        return "immediate".equals(backing.allocation()) ? Boolean.TRUE : null;
    }

    /** QEMU's share switch for the access mode of {@code <memoryBacking>}: absent when the definition sets none. */
    private static Boolean share(GuestDef.MemoryBacking backing) {
        return backing.access() == null ? null : "shared".equals(backing.access());
    }

    /** A RAM backend bound to the host nodes of {@code <numatune>} with its policy (restrictive leaves it to cgroups). */
    private static Props hostNodes(BuildContext c, Props backend) {
        GuestDef.NumaTune tune = c.def.numaTune();
        if (tune.nodes().isEmpty() || "restrictive".equals(tune.mode())) {
            return backend;
        }
        return backend.put("host-nodes", tune.nodes()).put("policy", "strict".equals(tune.mode()) ? "bind" : tune.mode());
    }

    /** Each NUMA node: its RAM backend and -numa node with its vCPU ranges, then the distances between nodes. */
    private static void numa(BuildContext c, List<String> argv) {
        for (GuestDef.NumaCell cell : c.def.numa()) {
            String id = "ram-node" + cell.id();
            String access = cell.memAccess() != null ? cell.memAccess() : c.def.memoryBacking().access();
            Props backend = "shared".equals(access)
                // memory the host shares (vhost-user, virtiofs) is a file in the guest's memory backing folder
                ? Props.of("qom-type", "memory-backend-file").put("id", id)
                    .put("mem-path", c.cfg.memoryBackingDir(c.def.id(), c.def.name()).resolve(id).toString())
                    .put("share", true)
                : Props.of("qom-type", "memory-backend-ram").put("id", id);
            // libvirt aligns each node's memory up to whole MiB on x86 before it starts QEMU
            c.object(argv, hostNodes(c, backend.put("size", (cell.memoryKiB() + 1023) / 1024 * 1024 * 1024)));
            StringBuilder node = new StringBuilder("node,nodeid=").append(cell.id());
            if (cell.cpus() != null) {
                for (String range : cell.cpus().split(",")) {
                    node.append(",cpus=").append(range.strip());
                }
            }
            argv.add("-numa");
            argv.add(node.append(",memdev=ram-node").append(cell.id()).toString());
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
