package org.jvirtd.driver.qemu.internal.firmware;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.model.domain.DomainEditor;
import org.jvirtd.model.domain.DomainXml;

/**
 * Before a start: fills in the firmware of {@code <os firmware='efi'>} from the descriptors (the live
 * definition then names loader, NVRAM and SMM as libvirt's does), names the NVRAM file of a read-only
 * pflash loader given by hand, and creates a missing NVRAM file from its template, as
 * {@code <nvram dir>/<name>_VARS.fd} when the definition names none.
 */
public final class FirmwareSetup {
    private FirmwareSetup() {
    }

    /** Returns the definition to run: {@code xml} itself when there is no firmware to choose. */
    public static String apply(String xml, String name, String arch, String machine,
                               List<FirmwareDescriptor> descriptors, Path nvramDir) {
        DomainEditor editor = DomainEditor.of(xml);
        String firmware = editor.osFirmware();
        if (firmware == null || editor.hasLoader()) {
            if (!editor.needsNvramPath()) {
                return xml;
            }
            // a read-only pflash loader given by hand: its variables go where libvirt puts them
            editor.setNvramPath(nvramDir.resolve(name + "_VARS.fd").toString());
            return editor.format(-1, DomainXml.SECURE);
        }
        // a <loader> without a file only narrows the choice: secure='yes' asks for secure boot, 'no' refuses it
        java.util.Map<String, Boolean> features = new java.util.LinkedHashMap<>(editor.firmwareFeatures());
        if (editor.loaderSecure() != null) {
            features.put("secure-boot", "yes".equals(editor.loaderSecure()));
        }
        FirmwareDescriptor chosen = FirmwareSelection.choose(firmware, arch, machine, features,
            "off".equals(editor.featureState("smm")), descriptors).orElseThrow(() -> VirtErrors.operationFailed(
                ErrorDomain.QEMU, "Unable to find any firmware to satisfy '" + firmware + "'"));
        Path nvram = editor.nvramPath() != null ? Path.of(editor.nvramPath()) : nvramDir.resolve(name + "_VARS.fd");
        editor.useFirmware(chosen.executable(), chosen.has("secure-boot"), nvram.toString(), chosen.nvramTemplate(),
            chosen.has("requires-smm"));
        return editor.format(-1, DomainXml.SECURE);
    }

    /** Copies the template to the NVRAM file unless that exists (the guest's variables survive restarts). */
    public static void createNvram(Path nvram, Path template) {
        if (nvram == null || template == null || Files.exists(nvram)) {
            return;
        }
        try {
            Files.createDirectories(nvram.getParent());
            Path partial = nvram.resolveSibling(nvram.getFileName() + ".new");
            Files.copy(template, partial, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-------"));
            Files.move(partial, nvram, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw VirtErrors.system(ErrorDomain.QEMU, "Failed to create NVRAM file '" + nvram + "' from template '"
                + template + "': " + e.getMessage(), e);
        }
    }
}
