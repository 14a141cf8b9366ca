package org.jvirtd.storage.core.conformance;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.jvirtd.api.VirtException;
import org.jvirtd.api.storage.StorageFlags;
import org.jvirtd.model.conformance.ConformanceCase;
import org.jvirtd.model.conformance.SuiteHandler;
import org.jvirtd.model.conformance.SuiteProvider;
import org.jvirtd.model.conformance.TextCompare;
import org.jvirtd.model.storage.PoolDef;
import org.jvirtd.model.storage.PoolXml;
import org.jvirtd.model.storage.VolumeDef;
import org.jvirtd.model.storage.VolumeXml;
import org.jvirtd.storage.util.CommandText;
import org.jvirtd.storage.util.MountArgv;
import org.jvirtd.storage.util.QemuImgArgv;
import org.jvirtd.storage.util.VgChangeArgv;

/**
 * The storagevolxml2argv and storagepoolxml2argv suites, run through the real qemu-img, mount and vgchange
 * command builders.
 */
public final class StorageArgvSuites implements SuiteProvider {
    /** The passphrase files libvirt's test data names. */
    private static final QemuImgArgv.Secrets TEST_SECRETS = new QemuImgArgv.Secrets() {
        @Override
        public String keyObject() {
            return null;
        }

        @Override
        public String passphraseObject(String id, VolumeDef vol, boolean input) {
            return "secret,id=" + id + ",file=/path/to/" + (input ? "inputSecretFile" : "secretFile");
        }
    };

    @Override
    public Map<String, SuiteHandler> suites() {
        return Map.of("storagevolxml2argv", StorageArgvSuites::volumeToArgv,
            "storagepoolxml2argv", StorageArgvSuites::poolToArgv);
    }

    /**
     * Parses the pool and volume (and the input ones), builds the qemu-img commands, compares with rule R. A negative
     * case must parse and then be refused while its commands are built.
     */
    static String volumeToArgv(ConformanceCase c) throws Exception {
        boolean hasInput = c.file("inputVol") != null;
        VolumeDef vol;
        VolumeDef input;
        try {
            vol = VolumeXml.parse(PoolXml.parse(c.read("pool")), c.read("vol"),
                parseFlags(c) | (hasInput ? VolumeXml.OPT_CAPACITY : 0));
            input = hasInput ? VolumeXml.parse(PoolXml.parse(c.read("inputPool")), c.read("inputVol")) : null;
        } catch (VirtException e) {
            return c.refusedWhileParsing(e);
        }
        int flags = c.strings("createFlags").contains("PREALLOC_METADATA")
            ? StorageFlags.VOL_CREATE_PREALLOC_METADATA : 0;
        List<List<String>> commands;
        try {
            commands = QemuImgArgv.build(vol, input, flags, TEST_SECRETS);
        } catch (VirtException e) {
            return c.refusedWhileGenerating(e);
        }
        if (c.expectsFailure()) {
            return "expected a failure, but got a command line";
        }
        return TextCompare.raw(c.read("expectedArgv"),
            commands.stream().map(CommandText::render).collect(Collectors.joining("\n")));
    }

    /**
     * Parses the pool and builds the command that starts it (mount or vgchange), compares with rule R. A negative
     * case is a pool that parses but whose type has no such command.
     */
    static String poolToArgv(ConformanceCase c) throws Exception {
        PoolDef pool;
        try {
            pool = PoolXml.parse(c.read("pool"));
        } catch (VirtException e) {
            return c.refusedWhileParsing(e);
        }
        List<String> argv;
        try {
            argv = switch (pool.type()) {
                case FS, NETFS -> MountArgv.mount(pool);
                case LOGICAL -> VgChangeArgv.change(pool, true);
                default -> null;
            };
        } catch (VirtException e) {
            return c.refusedWhileGenerating(e);
        }
        if (argv == null) {
            return c.expectsFailure() ? null : "this pool type has no start command";
        }
        if (c.expectsFailure()) {
            return "expected a failure, but got " + String.join(" ", argv);
        }
        return TextCompare.raw(c.read("expectedArgv"), CommandText.render(argv));
    }

    private static int parseFlags(ConformanceCase c) {
        int flags = 0;
        for (String flag : c.strings("parseFlags")) {
            flags |= switch (flag) {
                case "OPT_CAPACITY" -> VolumeXml.OPT_CAPACITY;
                case "NO_CAPACITY" -> VolumeXml.NO_CAPACITY;
                default -> throw new IllegalArgumentException("unknown parse flag " + flag);
            };
        }
        return flags;
    }
}
