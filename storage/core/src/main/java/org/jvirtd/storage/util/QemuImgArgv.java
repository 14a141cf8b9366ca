package org.jvirtd.storage.util;

import java.util.ArrayList;
import java.util.List;

import org.jvirtd.api.storage.StorageFlags;
import org.jvirtd.model.storage.Encryption;
import org.jvirtd.model.storage.VolumeDef;

/**
 * The qemu-img command lines that create, copy and convert a volume, a pure function of the volume
 * definitions (libvirt's storageBackendCreateQemuImgCmdFromVol).
 */
public final class QemuImgArgv {
    public static final String PROGRAM = "qemu-img";

    private QemuImgArgv() {
    }

    /**
     * How the LUKS passphrases reach qemu-img (null when neither volume is encrypted): libvirt's conformance
     * data names files, jvirtd passes them encrypted under a key on standard input ({@link LuksPassphrases}).
     */
    public interface Secrets {
        /** The {@code --object} of the key the passphrase objects are encrypted with; null for none. */
        String keyObject();

        /** The {@code --object} holding the passphrase of {@code vol} (the copy's source when {@code input}). */
        String passphraseObject(String id, VolumeDef vol, boolean input);
    }

    /**
     * The command(s) that make {@code vol}, from nothing or as a copy of {@code input}: one {@code create} or
     * {@code convert}, or, when either side is LUKS encrypted, a {@code create} then a {@code convert -n}.
     *
     * @param flags VIR_STORAGE_VOL_CREATE_* (PREALLOC_METADATA matters)
     */
    public static List<List<String>> build(VolumeDef vol, VolumeDef input, int flags, Secrets secrets) {
        checkEncryption(vol);
        if (input != null) {
            checkEncryption(input);
        }
        boolean encrypted = luks(vol) || input != null && luks(input);
        if (input == null) {
            return List.of(create(vol, flags, secrets, true));
        }
        if (!encrypted) {
            return List.of(convert(vol, input, flags));
        }
        return List.of(create(vol, flags, secrets, false), convertImageOpts(vol, input, secrets));
    }

    private static List<String> create(VolumeDef vol, int flags, Secrets secrets, boolean withBacking) {
        List<String> argv = new ArrayList<>(List.of(PROGRAM, "create", "-f", format(vol)));
        VolumeDef.BackingStore backing = withBacking ? vol.backingStore() : null;
        if (backing != null) {
            if (!cow(vol)) {
                throw StorageErrors.unsupported("format features are only available with qcow2");
            }
            argv.addAll(List.of("-b", backing.path()));
        }
        if (luks(vol)) {
            keyObject(argv, secrets);
            argv.addAll(List.of("--object", secrets.passphraseObject(secretId(vol), vol, false)));
        }
        options(argv, vol, backing, flags);
        argv.add(vol.target().path());
        if (backing == null || vol.capacity() != 0) {
            argv.add(sizeKiB(vol.capacity()) + "K");
        }
        return argv;
    }

    private static List<String> convert(VolumeDef vol, VolumeDef input, int flags) {
        List<String> argv = new ArrayList<>(List.of(PROGRAM, "convert", "-f", format(input), "-O", format(vol)));
        options(argv, vol, null, flags);
        argv.add(input.target().path());
        argv.add(vol.target().path());
        return argv;
    }

    private static List<String> convertImageOpts(VolumeDef vol, VolumeDef input, Secrets secrets) {
        List<String> argv = new ArrayList<>(List.of(PROGRAM, "convert", "--image-opts", "-n", "--target-image-opts"));
        keyObject(argv, secrets);
        if (luks(vol)) {
            argv.addAll(List.of("--object", secrets.passphraseObject(secretId(vol), vol, false)));
        }
        if (luks(input)) {
            argv.addAll(List.of("--object", secrets.passphraseObject(secretId(input), input, true)));
        }
        argv.add(imageSpec(input));
        argv.add(imageSpec(vol));
        return argv;
    }

    private static String imageSpec(VolumeDef vol) {
        String spec = "driver=" + format(vol) + ",file.filename=" + vol.target().path();
        if (luks(vol)) {
            spec += "," + encryptPrefix(vol) + "key-secret=" + secretId(vol);
        }
        return spec;
    }

    private static void options(List<String> argv, VolumeDef vol, VolumeDef.BackingStore backing, int flags) {
        List<String> opts = new ArrayList<>();
        VolumeDef.Target t = vol.target();
        if (backing != null) {
            opts.add("backing_fmt=" + qemuFormat(backing.format()));
        }
        if (luks(vol)) {
            encryptionOptions(opts, vol);
        }
        if ((flags & StorageFlags.VOL_CREATE_PREALLOC_METADATA) != 0) {
            opts.add(sizeKiB(vol.capacity()) > sizeKiB(vol.allocation()) ? "preallocation=metadata"
                : "preallocation=falloc");
        }
        if (t.nocow()) {
            opts.add("nocow=on");
        }
        if ("qcow2".equals(format(vol))) {
            String compat = t.compat() == null ? "0.10" : t.compat();
            opts.add("compat=" + compat);
            if (t.clusterSize() != null) {
                opts.add("cluster_size=" + t.clusterSize());
            }
            if (t.lazyRefcounts()) {
                requireNewCompat(compat, "lazy_refcounts");
                opts.add("lazy_refcounts");
            }
            if (t.extendedL2()) {
                requireNewCompat(compat, "extended_l2");
                opts.add("extended_l2=on");
            }
        } else if (t.compat() != null || t.lazyRefcounts() || t.extendedL2() || t.clusterSize() != null) {
            throw StorageErrors.unsupported("format features are only available with qcow2");
        }
        if (!opts.isEmpty()) {
            argv.addAll(List.of("-o", String.join(",", opts)));
        }
    }

    private static void encryptionOptions(List<String> opts, VolumeDef vol) {
        String p = encryptPrefix(vol);
        Encryption enc = vol.target().encryption();
        if (!p.isEmpty()) {
            opts.add(p + "format=luks");
        }
        opts.add(p + "key-secret=" + secretId(vol));
        if (enc.cipher() != null) {
            opts.add(p + "cipher-alg=" + enc.cipher().name() + "-" + enc.cipher().size());
            if (enc.cipher().mode() != null) {
                opts.add(p + "cipher-mode=" + enc.cipher().mode());
            }
            if (enc.cipher().hash() != null) {
                opts.add(p + "hash-alg=" + enc.cipher().hash());
            }
        }
        if (enc.ivgen() != null) {
            opts.add(p + "ivgen-alg=" + enc.ivgen().name());
            if (enc.ivgen().hash() != null) {
                opts.add(p + "ivgen-hash-alg=" + enc.ivgen().hash());
            }
        }
    }

    private static void requireNewCompat(String compat, String feature) {
        if ("0.10".equals(compat)) {
            throw StorageErrors.unsupported(feature + " not supported with compat level " + compat);
        }
    }

    private static void checkEncryption(VolumeDef vol) {
        Encryption enc = vol.target().encryption();
        if (enc != null && !"luks".equals(enc.format())) {
            throw StorageErrors.unsupported("creating " + format(vol) + " volumes with '" + enc.format()
                + "' encryption is not supported");
        }
        if (enc != null && !"raw".equals(qemuFormat(vol.target().format())) && !"qcow2".equals(vol.target().format())) {
            throw StorageErrors.unsupported("luks encryption is only available for raw and qcow2 volumes");
        }
    }

    private static boolean luks(VolumeDef vol) {
        Encryption enc = vol.target().encryption();
        return enc != null && "luks".equals(enc.format());
    }

    private static boolean cow(VolumeDef vol) {
        return List.of("qcow2", "qcow", "qed", "vmdk", "vpc", "cow").contains(vol.target().format());
    }

    private static String encryptPrefix(VolumeDef vol) {
        return "qcow2".equals(vol.target().format()) ? "encrypt." : "";
    }

    /** The -f/-O format of a volume: a raw volume with LUKS encryption is qemu-img's "luks". */
    static String format(VolumeDef vol) {
        String format = qemuFormat(vol.target().format());
        return "raw".equals(format) && luks(vol) ? "luks" : format;
    }

    /** Formats qemu-img has no driver for are written raw (an iso, a logical volume without format). */
    private static String qemuFormat(String format) {
        return format == null || format.equals("iso") || format.equals("none") ? "raw" : format;
    }

    private static String secretId(VolumeDef vol) {
        return vol.name() + "_encrypt0";
    }

    private static void keyObject(List<String> argv, Secrets secrets) {
        if (secrets.keyObject() != null) {
            argv.addAll(List.of("--object", secrets.keyObject()));
        }
    }

    /** Bytes to KiB, rounded up. */
    public static long sizeKiB(long bytes) {
        return Long.divideUnsigned(bytes, 1024) + (Long.remainderUnsigned(bytes, 1024) == 0 ? 0 : 1);
    }

    /** {@code qemu-img resize [--shrink] -f FORMAT PATH BYTES}. */
    public static List<String> resize(String path, String format, long capacity, boolean shrink) {
        List<String> argv = new ArrayList<>(List.of(PROGRAM, "resize"));
        if (shrink) {
            argv.add("--shrink");
        }
        argv.addAll(List.of("-f", qemuFormat(format), path, Long.toUnsignedString(capacity)));
        return argv;
    }
}
