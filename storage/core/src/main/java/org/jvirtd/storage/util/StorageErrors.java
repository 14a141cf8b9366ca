package org.jvirtd.storage.util;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;

/**
 * Named factories for the storage errors, worded as libvirt's storage driver words them.
 */
public final class StorageErrors {
    private static final ErrorDomain D = ErrorDomain.STORAGE;

    private StorageErrors() {
    }

    public static VirtException noPoolName(String name) {
        return new VirtException(ErrorCode.NO_STORAGE_POOL, D, "no storage pool with matching name '" + name + "'");
    }

    public static VirtException noPoolUuid(String uuid) {
        return new VirtException(ErrorCode.NO_STORAGE_POOL, D, "no storage pool with matching uuid '" + uuid + "'");
    }

    public static VirtException noVolumeName(String name) {
        return new VirtException(ErrorCode.NO_STORAGE_VOL, D, "no storage vol with matching name '" + name + "'");
    }

    public static VirtException noVolumeKey(String key) {
        return new VirtException(ErrorCode.NO_STORAGE_VOL, D, "no storage vol with matching key " + key);
    }

    public static VirtException noVolumePath(String path) {
        return new VirtException(ErrorCode.NO_STORAGE_VOL, D, "no storage vol with matching path '" + path + "'");
    }

    public static VirtException poolNotActive(String name) {
        return invalid("storage pool '" + name + "' is not active");
    }

    public static VirtException poolAlreadyActive(String name) {
        return invalid("storage pool '" + name + "' is already active");
    }

    public static VirtException poolStillActive(String name) {
        return invalid("storage pool '" + name + "' is still active");
    }

    public static VirtException poolHasJobs(String name) {
        return invalid("pool '" + name + "' has asynchronous jobs running.");
    }

    public static VirtException volumeExists(String name) {
        return new VirtException(ErrorCode.STORAGE_VOL_EXIST, D, "'" + name + "'");
    }

    public static VirtException volumeInUse(String name) {
        return invalid("volume '" + name + "' is still in use.");
    }

    public static VirtException volumeBuilding(String name) {
        return invalid("volume '" + name + "' is still being allocated.");
    }

    public static VirtException invalid(String detail) {
        return new VirtException(ErrorCode.OPERATION_INVALID, D, detail);
    }

    public static VirtException failed(String detail) {
        return new VirtException(ErrorCode.OPERATION_FAILED, D, detail);
    }

    public static VirtException unsupported(String detail) {
        return new VirtException(ErrorCode.CONFIG_UNSUPPORTED, D, detail);
    }

    public static VirtException internal(String detail) {
        return new VirtException(ErrorCode.INTERNAL_ERROR, D, detail);
    }

    public static VirtException invalidArg(String detail) {
        return new VirtException(ErrorCode.INVALID_ARG, D, detail);
    }

    /** VIR_ERR_SYSTEM_ERROR "what 'path': strerror", as libvirt's virReportSystemError prints it. */
    public static VirtException system(String what, String path, IOException cause) {
        return new VirtException(ErrorCode.SYSTEM_ERROR, D, what + " '" + path + "': " + reason(cause), cause);
    }

    /** The strerror text an I/O exception stands for. */
    public static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "File exists";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "Directory not empty";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof NotDirectoryException) {
            return "Not a directory";
        }
        return e.getMessage();
    }
}
