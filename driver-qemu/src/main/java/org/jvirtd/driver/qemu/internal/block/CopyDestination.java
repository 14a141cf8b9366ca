package org.jvirtd.driver.qemu.internal.block;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.w3c.dom.Element;

/**
 * Where a block copy writes: the {@code <disk>} of virDomainBlockCopy (a file or block device and its
 * format), and the image made for it when the caller did not bring one (--reuse-external).
 */
record CopyDestination(String path, String format, boolean block) {
    static CopyDestination parse(String xml, String defaultFormat) {
        Element disk;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            disk = factory.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(
                xml.getBytes(StandardCharsets.UTF_8))).getDocumentElement();
        } catch (Exception e) {
            throw new VirtException(ErrorCode.XML_ERROR, ErrorDomain.DOMAIN, "(disk_definition): " + e.getMessage());
        }
        String type = disk.getAttribute("type");
        Element source = first(disk, "source");
        if (!"file".equals(type) && !"block".equals(type) || source == null) {
            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU,
                "non-file destination not supported yet");
        }
        String path = "block".equals(type) ? source.getAttribute("dev") : source.getAttribute("file");
        Element driver = first(disk, "driver");
        String format = driver != null && !driver.getAttribute("type").isEmpty() ? driver.getAttribute("type")
            : defaultFormat;
        return new CopyDestination(path, format, "block".equals(type));
    }

    private static Element first(Element parent, String name) {
        var list = parent.getElementsByTagName(name);
        return list.getLength() == 0 ? null : (Element) list.item(0);
    }

    /**
     * Makes the copy's image as libvirt does when it creates the destination: of the disk's size, over the
     * disk's backing image for a shallow copy.
     */
    void create(long size, DiskChain.Layer backing) {
        if (block) {
            return;
        }
        List<String> argv = new ArrayList<>(List.of("qemu-img", "create", "-q", "-f", format));
        if (backing != null && !"raw".equals(format)) {
            argv.addAll(List.of("-u", "-F", backing.format(), "-b", backing.file()));
        }
        argv.add(path);
        argv.add(Long.toString(size));
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor() != 0) {
                throw VirtErrors.operationFailed(ErrorDomain.QEMU, "unable to create '" + path + "': " + out);
            }
        } catch (IOException e) {
            throw VirtErrors.system(ErrorDomain.QEMU, "unable to run qemu-img for '" + path + "'", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VirtErrors.operationFailed(ErrorDomain.QEMU, "interrupted creating '" + path + "'");
        }
    }

    boolean exists() {
        return Files.exists(Path.of(path));
    }
}
