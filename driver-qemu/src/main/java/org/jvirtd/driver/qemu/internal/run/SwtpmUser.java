package org.jvirtd.driver.qemu.internal.run;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.jvirtd.driver.qemu.internal.conf.QemuConf;

/**
 * Whom swtpm and swtpm_setup run as: a root daemon drops to qemu.conf's swtpm_user and swtpm_group (tss, which
 * Debian's swtpm package creates) as libvirt does, and hands that user the TPM's state, its log and the folder
 * of control sockets; an unprivileged daemon, or a host without that user, runs them as itself.
 */
final class SwtpmUser {
    private final UserPrincipal user;
    private final GroupPrincipal group;
    private final String userName;
    private final String groupName;

    private SwtpmUser(UserPrincipal user, GroupPrincipal group, String userName, String groupName) {
        this.user = user;
        this.group = group;
        this.userName = userName;
        this.groupName = groupName;
    }

    static SwtpmUser of(QemuConf cfg) {
        if (!"root".equals(System.getProperty("user.name")) || cfg.swtpmUser() == null
            || "root".equals(cfg.swtpmUser())) {
            return new SwtpmUser(null, null, null, null);
        }
        UserPrincipalLookupService users = FileSystems.getDefault().getUserPrincipalLookupService();
        String groupName = cfg.swtpmGroup() == null ? cfg.swtpmUser() : cfg.swtpmGroup();
        try {
            return new SwtpmUser(users.lookupPrincipalByName(cfg.swtpmUser()),
                users.lookupPrincipalByGroupName(groupName), cfg.swtpmUser(), groupName);
        } catch (UserPrincipalNotFoundException e) {
            return new SwtpmUser(null, null, null, null);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The command run as this user: {@code setpriv} in front when the daemon drops privileges for it. */
    List<String> prefix(List<String> argv) {
        if (user == null) {
            return argv;
        }
        List<String> all = new ArrayList<>(List.of("setpriv", "--reuid=" + userName, "--regid=" + groupName,
            "--init-groups"));
        all.addAll(argv);
        return all;
    }

    /**
     * Hands the user what swtpm writes: the TPM's state folder with everything in it (a state made by another
     * user before included), the folder of control sockets and pid files, the log. The folder of all TPM states
     * stays root's and only traversable ({@code statesRoot}, 0711).
     */
    void own(Path statesRoot, Path stateDir, Path socketDir, Path log) throws IOException {
        if (user == null) {
            return;
        }
        Files.setPosixFilePermissions(statesRoot, PosixFilePermissions.fromString("rwx--x--x"));
        Files.setPosixFilePermissions(socketDir, PosixFilePermissions.fromString("rwxrwx---"));
        chown(socketDir);
        chown(log);
        chown(stateDir.getParent());
        try (Stream<Path> files = Files.walk(stateDir)) {
            for (Path p : files.toList()) {
                chown(p);
            }
        }
    }

    private void chown(Path p) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class);
        view.setOwner(user);
        view.setGroup(group);
    }
}
