package org.jvirtd.net.nwfilter;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.platform.files.AtomicFiles;

/**
 * Filters and bindings on disk, each file written atomically: {@code <config>/nwfilter/NAME.xml} (made with
 * libvirt's standard filters the first time the folder is missing) and {@code <run>/nwfilter-binding/DEV.xml}
 * (bindings outlive a restart of the daemon or an update of the bundle, not a reboot, like the ports they
 * filter).
 */
final class FilterFiles {
    private static final String STANDARD = "/org/jvirtd/net/nwfilter/standard/";

    private final Path filters;
    private final Path bindings;

    FilterFiles(Path filters, Path bindings) {
        this.filters = filters;
        this.bindings = bindings;
    }

    /** Whether the filter folder is still to be made, so the standard filters are to be defined. */
    boolean firstStart() {
        return !Files.isDirectory(filters);
    }

    /** libvirt 9.0's standard filters (libvirt-daemon-config-nwfilter's), as shipped: without UUIDs. */
    static List<String> standardFilters() {
        List<String> out = new ArrayList<>();
        for (String name : resource("index.txt").split("\n")) {
            if (!name.isBlank()) {
                out.add(resource(name.strip()));
            }
        }
        return out;
    }

    private static String resource(String name) {
        try (InputStream in = FilterFiles.class.getResourceAsStream(STANDARD + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + STANDARD + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    void saveFilter(FilterDef def) {
        write(filters, def.name(), FilterXml.format(def));
    }

    void deleteFilter(String name) {
        delete(filters, name);
    }

    void saveBinding(BindingDef def) {
        write(bindings, def.portDev(), BindingXml.format(def));
    }

    void deleteBinding(String portDev) {
        delete(bindings, portDev);
    }

    List<FilterDef> loadFilters() {
        return load(filters, FilterXml::parse);
    }

    List<BindingDef> loadBindings() {
        return load(bindings, BindingXml::parse);
    }

    private static <T> List<T> load(Path dir, Function<String, T> parse) {
        List<T> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.xml")) {
            for (Path file : files) {
                try {
                    out.add(parse.apply(Files.readString(file, StandardCharsets.UTF_8)));
                } catch (VirtException | IOException broken) {
                    System.getLogger(FilterFiles.class.getName()).log(System.Logger.Level.WARNING,
                        "skipping " + file + ": " + broken.getMessage());
                }
            }
        } catch (IOException e) {
            throw VirtErrors.system(ErrorDomain.NWFILTER, "cannot read " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static void write(Path dir, String name, String content) {
        Path file = dir.resolve(name + ".xml");
        try {
            Files.createDirectories(dir);
            AtomicFiles.write(file, content);
        } catch (IOException e) {
            throw VirtErrors.system(ErrorDomain.NWFILTER, "Failed to create file '" + file + ".new': "
                + e.getMessage(), e);
        }
    }

    private static void delete(Path dir, String name) {
        try {
            AtomicFiles.delete(dir.resolve(name + ".xml"));
        } catch (IOException e) {
            throw VirtErrors.system(ErrorDomain.NWFILTER, "cannot delete " + dir.resolve(name + ".xml") + ": "
                + e.getMessage(), e);
        }
    }
}
