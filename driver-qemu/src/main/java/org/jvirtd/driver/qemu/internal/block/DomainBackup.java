package org.jvirtd.driver.qemu.internal.block;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.TypedParameter;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.domain.DomainJobStats;
import org.jvirtd.driver.qemu.internal.command.Props;
import org.jvirtd.driver.qemu.internal.guest.GuestDef;
import org.jvirtd.driver.qemu.internal.qmp.QmpClient;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * One backup (virDomainBackupBegin) as libvirt 9.0 runs it on QEMU 7.2: per disk a target image and its
 * nodes, for an incremental backup a temporary bitmap merged from the checkpoint's, and one QMP transaction
 * that starts every disk's blockdev-backup (and adds the new checkpoint's bitmaps) at the same instant.
 * Push mode copies into the target; pull mode keeps the point in time in a scratch image over the disk
 * (fleecing, sync none) and exports it, with the temporary bitmap, over NBD on a unix socket until the
 * job is aborted. Its figures answer domjobinfo.
 */
public final class DomainBackup {
    /** One disk of the backup: what the XML asked, and the job and nodes that copy it. */
    record Disk(String name, boolean backup, String file, String format, String jobId, String storageNode,
                String formatNode, String topNode, String tempBitmap, boolean created) {
    }

    private final String incremental;
    /** The NBD server's socket of a pull backup, null for push. */
    private final String socket;
    private final List<Disk> disks;
    private final long started = System.currentTimeMillis();
    private final Map<String, long[]> progress = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Set<String> running = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean failed;
    volatile boolean abortRequested;

    private DomainBackup(String incremental, String socket, List<Disk> disks) {
        this.incremental = incremental;
        this.socket = socket;
        this.disks = disks;
        disks.stream().filter(Disk::backup).forEach(d -> running.add(d.jobId()));
    }

    /**
     * Parses the backup XML, makes the targets and starts the jobs. {@code checkpointBitmaps} are the
     * bitmap-add actions of a checkpoint made with the backup (empty for none).
     */
    static DomainBackup start(QmpClient qmp, GuestDef def, String xml, boolean reuse, List<Props> checkpointBitmaps,
                            int firstNode) {
        Element root = parse(xml);
        String mode = root.getAttribute("mode");
        boolean pull = "pull".equals(mode);
        if (!mode.isEmpty() && !"push".equals(mode) && !pull) {
            throw new VirtException(ErrorCode.XML_ERROR, ErrorDomain.DOMAIN, "unknown backup mode '" + mode + "'");
        }
        String socket = null;
        if (pull) {
            Element server = child(root, "server");
            if (server == null || !"unix".equals(server.getAttribute("transport"))
                || server.getAttribute("socket").isEmpty()) {
                throw new VirtException(ErrorCode.OPERATION_UNSUPPORTED, ErrorDomain.QEMU,
                    "pull mode backups are served only over a unix socket here (<server transport='unix' socket=.../>)");
            }
            socket = server.getAttribute("socket");
        }
        Element inc = child(root, "incremental");
        String incremental = inc == null ? null : inc.getTextContent().trim();
        Map<String, Element> asked = new java.util.HashMap<>();
        Element list = child(root, "disks");
        if (list != null) {
            for (Node n = list.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e && "disk".equals(e.getTagName())) {
                    if (DiskChain.diskIndex(def, e.getAttribute("name")) < 0) {
                        throw VirtErrors.invalidArg(ErrorDomain.QEMU, "no disk named '" + e.getAttribute("name") + "'");
                    }
                    asked.put(def.devices().disks().get(DiskChain.diskIndex(def, e.getAttribute("name"))).target(), e);
                }
            }
        }
        long now = System.currentTimeMillis() / 1000;
        List<Disk> disks = new ArrayList<>();
        List<Props> actions = new ArrayList<>(checkpointBitmaps);
        List<String> added = new ArrayList<>();
        int node = firstNode;
        try {
            for (int i = 0; i < def.devices().disks().size(); i++) {
                GuestDef.Disk disk = def.devices().disks().get(i);
                Element e = asked.get(disk.target());
                boolean backup = disk.source() != null && !disk.isCdrom() && !disk.readonly()
                    && (e == null ? list == null : !"no".equals(e.getAttribute("backup")));
                if (!backup) {
                    disks.add(new Disk(disk.target(), false, null, null, null, null, null, null, null, false));
                    continue;
                }
                DiskChain chain = DiskChain.read(qmp, def, i);
                Element target = e == null ? null : child(e, pull ? "scratch" : "target");
                Element driver = e == null ? null : child(e, "driver");
                String file = target != null && !target.getAttribute("file").isEmpty() ? target.getAttribute("file")
                    : chain.top().file() + "." + (pull ? "scratch-" : "") + (incremental != null ? incremental
                    : Long.toString(now));
                String format = driver != null && !driver.getAttribute("type").isEmpty()
                    ? driver.getAttribute("type") : "qcow2";
                CopyDestination dest = new CopyDestination(file, format, false);
                if (!reuse) {
                    if (dest.exists()) {
                        throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU,
                            "store '" + file + "' for backup of '" + disk.target() + "' exists");
                    }
                    dest.create(chain.top().virtualSize(), null);
                }
                String storage = "libvirt-" + node + "-storage";
                String fmt = "libvirt-" + node + "-format";
                node++;
                qmp.blockdevAdd(Props.of("driver", "file").put("filename", file).put("node-name", storage)
                    .put("auto-read-only", true).put("discard", "unmap"));
                added.add(storage);
                Props formatNode = Props.of("node-name", fmt).put("read-only", false).put("driver", format)
                    .put("file", storage);
                if (pull) {
                    // the scratch image reads through to the disk where the guest has not overwritten it yet
                    formatNode.put("backing", chain.top().node());
                } else if (!"raw".equals(format)) {
                    formatNode.putNull("backing");
                }
                qmp.blockdevAdd(formatNode);
                added.add(0, fmt);
                String temp = incremental == null ? null : pull ? "backup-" + disk.target() : "backup-" + fmt;
                String jobId = "backup-" + disk.target() + "-" + chain.top().node().replaceAll("[^A-Za-z0-9._-]", "");
                Props job = Props.of("job-id", jobId).put("device", chain.top().node()).put("target", fmt);
                if (temp != null) {
                    actions.add(action("block-dirty-bitmap-add", Props.of("node", chain.top().node())
                        .put("name", temp).put("persistent", false).put("disabled", true)));
                    actions.add(action("block-dirty-bitmap-merge", Props.of("node", chain.top().node())
                        .put("target", temp).put("bitmaps", List.of(incremental))));
                }
                if (pull) {
                    // the job only keeps old data for the scratch image; the client reads the export
                    job.put("sync", "none");
                } else if (temp != null) {
                    job.put("sync", "incremental").put("bitmap", temp);
                } else {
                    job.put("sync", "full");
                }
                job.put("auto-finalize", true).put("auto-dismiss", false);
                actions.add(action("blockdev-backup", job));
                disks.add(new Disk(disk.target(), true, file, format, jobId, storage, fmt, chain.top().node(), temp,
                    !reuse));
            }
            if (disks.stream().noneMatch(Disk::backup)) {
                throw VirtErrors.invalidArg(ErrorDomain.QEMU, "no disks selected for backup");
            }
            DomainBackup backup = new DomainBackup(incremental, socket, disks);
            if (pull) {
                qmp.nbdServerStart(socket);
            }
            try {
                qmp.transaction(actions);
                if (pull) {
                    for (Disk d : disks) {
                        if (d.backup()) {
                            qmp.blockExportAdd(exportId(d), d.formatNode(), d.name(), d.tempBitmap());
                        }
                    }
                }
            } catch (VirtException ex) {
                if (pull) {
                    stopServer(qmp);
                }
                throw ex;
            }
            return backup;
        } catch (VirtException ex) {
            for (String n : added) {
                try {
                    qmp.blockdevDel(n);
                } catch (VirtException ignored) {
                    // the node never came or is gone already: nothing is left to undo
                }
            }
            throw ex;
        }
    }

    private static String exportId(Disk d) {
        return "libvirt-nbd-" + d.formatNode();
    }

    private static void stopServer(QmpClient qmp) {
        try {
            qmp.nbdServerStop();
        } catch (VirtException e) {
            // no server runs: nothing to stop
        }
    }

    private static Props action(String type, Props data) {
        return Props.of("type", type).put("data", data);
    }

    boolean owns(String jobId) {
        return disks.stream().anyMatch(d -> jobId.equals(d.jobId()));
    }

    List<String> jobIds() {
        return disks.stream().filter(Disk::backup).map(Disk::jobId).toList();
    }

    /** A disk's job ended: its figures are kept, its nodes and temporary bitmap removed; true once all have. */
    boolean conclude(QmpClient qmp, String jobId) {
        if (!running.contains(jobId)) {
            return false; // seen already (the event and the check after the start may both report it)
        }
        for (Map<String, Object> q : qmp.queryJobs()) {
            if (jobId.equals(q.get("id"))) {
                progress.put(jobId, new long[] {((Number) q.get("current-progress")).longValue(),
                    ((Number) q.get("total-progress")).longValue()});
                if (q.get("error") != null) {
                    failed = true;
                }
            }
        }
        qmp.jobDismiss(jobId);
        for (Disk d : disks) {
            if (jobId.equals(d.jobId())) {
                remove(qmp, d);
            }
        }
        running.remove(jobId);
        if (running.isEmpty() && socket != null) {
            stopServer(qmp);
        }
        return running.isEmpty();
    }

    private void remove(QmpClient qmp, Disk d) {
        if (socket != null) {
            try {
                qmp.blockExportDel(exportId(d));
            } catch (VirtException e) {
                // the export ended with its node
            }
        }
        for (String node : new String[] {d.formatNode(), d.storageNode()}) {
            try {
                qmp.blockdevDel(node);
            } catch (VirtException e) {
                // a node QEMU still holds goes with the job
            }
        }
        if (d.tempBitmap() != null) {
            try {
                qmp.blockDirtyBitmapRemove(d.topNode(), d.tempBitmap());
            } catch (VirtException e) {
                // the temporary bitmap is not persistent: it goes with QEMU in any case
            }
        }
        if (socket != null && d.created()) {
            try {
                java.nio.file.Files.deleteIfExists(java.nio.file.Path.of(d.file()));
            } catch (java.io.IOException e) {
                // a scratch image left behind holds nothing of value
            }
        }
    }

    /** The figures virsh domjobinfo prints: running (from QEMU's jobs) or, once ended, how it ended. */
    DomainJobStats stats(QmpClient qmp, boolean ended) {
        if (!ended) {
            for (Map<String, Object> q : qmp.queryJobs()) {
                if (owns(String.valueOf(q.get("id")))) {
                    progress.put(String.valueOf(q.get("id")), new long[] {
                        ((Number) q.get("current-progress")).longValue(), ((Number) q.get("total-progress")).longValue()});
                }
            }
        }
        long done = progress.values().stream().mapToLong(p -> p[0]).sum();
        long total = progress.values().stream().mapToLong(p -> p[1]).sum();
        int type = !ended ? DomainJobStats.UNBOUNDED : abortRequested ? DomainJobStats.CANCELLED
            : failed ? DomainJobStats.FAILED : DomainJobStats.COMPLETED;
        List<TypedParameter> params = new java.util.ArrayList<>(List.of(
            new TypedParameter("operation", TypedParameter.Type.INT, DomainJobStats.OPERATION_BACKUP),
            new TypedParameter("time_elapsed", TypedParameter.Type.ULLONG, System.currentTimeMillis() - started),
            new TypedParameter("disk_total", TypedParameter.Type.ULLONG, total),
            new TypedParameter("disk_processed", TypedParameter.Type.ULLONG, done),
            new TypedParameter("disk_remaining", TypedParameter.Type.ULLONG, total - done)));
        if (ended) {
            // an ended job's figures say whether it succeeded, as libvirt's completed job statistics do
            params.add(new TypedParameter("success", TypedParameter.Type.BOOLEAN, type == DomainJobStats.COMPLETED ? 1 : 0));
        }
        return new DomainJobStats(type, params);
    }

    /** The backup's XML as virsh backup-dumpxml shows a running push backup. */
    String xml() {
        StringBuilder out = new StringBuilder("<domainbackup mode='" + (socket == null ? "push" : "pull") + "'>\n");
        if (incremental != null) {
            out.append("  <incremental>").append(incremental).append("</incremental>\n");
        }
        if (socket != null) {
            out.append("  <server transport='unix' socket='").append(escape(socket)).append("'/>\n");
        }
        out.append("  <disks>\n");
        for (Disk d : disks) {
            if (!d.backup()) {
                out.append("    <disk name='").append(d.name()).append("' backup='no'/>\n");
                continue;
            }
            out.append("    <disk name='").append(d.name()).append("' backup='yes' type='file' backupmode='")
                .append(incremental == null ? "full" : "incremental").append('\'');
            if (incremental != null) {
                out.append(" incremental='").append(incremental).append('\'');
            }
            if (socket != null) {
                out.append(" exportname='").append(d.name()).append('\'');
                if (d.tempBitmap() != null) {
                    out.append(" exportbitmap='").append(d.tempBitmap()).append('\'');
                }
            }
            out.append(">\n      <driver type='").append(d.format()).append("'/>\n      <")
                .append(socket == null ? "target" : "scratch").append(" file='").append(escape(d.file()))
                .append("'/>\n    </disk>\n");
        }
        return out.append("  </disks>\n</domainbackup>\n").toString();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("'", "&apos;").replace("<", "&lt;");
    }

    private static Element parse(String xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Element root = factory.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(
                xml.getBytes(java.nio.charset.StandardCharsets.UTF_8))).getDocumentElement();
            if (!"domainbackup".equals(root.getTagName())) {
                throw new VirtException(ErrorCode.XML_ERROR, ErrorDomain.DOMAIN,
                    "unexpected root element <" + root.getTagName() + ">, expecting <domainbackup>");
            }
            return root;
        } catch (VirtException e) {
            throw e;
        } catch (Exception e) {
            throw new VirtException(ErrorCode.XML_ERROR, ErrorDomain.DOMAIN, "(domain_backup): " + e.getMessage());
        }
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getTagName())) {
                return e;
            }
        }
        return null;
    }
}
