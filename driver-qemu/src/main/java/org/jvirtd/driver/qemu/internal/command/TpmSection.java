package org.jvirtd.driver.qemu.internal.command;

import java.util.List;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.jvirtd.driver.qemu.internal.guest.GuestDef;

/**
 * TPMs backed by an emulator, jvirtd's own or an external one: the socket chardev to swtpm's control channel, the {@code -tpmdev} backend and
 * the TPM device, in libvirt's order after the consoles. Where the chardev leads depends on the rendering:
 * the swtpm socket of the run, libvirt's {@code /dev/test} in its test suite, and the null chardev
 * virConnectDomainXMLToNative prints, as libvirt starts no emulator for it.
 */
final class TpmSection {
    private static final String CHARDEV = "chrtpm";

    private TpmSection() {
    }

    static void tpms(BuildContext c, List<String> argv) {
        List<GuestDef.Tpm> tpms = c.def.devices().tpms();
        for (int i = 0; i < tpms.size(); i++) {
            GuestDef.Tpm tpm = tpms.get(i);
            boolean external = "external".equals(tpm.backend());
            if (!"emulator".equals(tpm.backend()) && !(external && tpm.sourcePath() != null)) {
                throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.QEMU,
                    "jvirtd runs emulated TPMs only, not backend '" + tpm.backend() + "'");
            }
            String alias = "tpm" + i;
            argv.add("-chardev");
            // an external emulator is someone else's swtpm: its socket, whatever the rendering
            argv.add(external ? "socket,id=" + CHARDEV + ",path=" + Props.escapeCommas(tpm.sourcePath()) : chardev(c));
            argv.add("-tpmdev");
            argv.add("emulator,id=tpm-" + alias + ",chardev=" + CHARDEV);
            c.device(argv, Props.of("driver", tpm.model()).put("tpmdev", "tpm-" + alias).put("id", alias));
        }
    }

    private static String chardev(BuildContext c) {
        return switch (c.cfg.argvMode()) {
            case LAUNCH -> "socket,id=" + CHARDEV + ",path=" + c.cfg.swtpmSocket(c.def.id(), c.def.name());
            case TEST_SUITE -> "socket,id=" + CHARDEV + ",path=/dev/test";
            case NATIVE -> "null,id=" + CHARDEV;
        };
    }
}
