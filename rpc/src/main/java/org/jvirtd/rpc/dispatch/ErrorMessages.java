package org.jvirtd.rpc.dispatch;

import java.util.Map;

import org.jvirtd.api.ErrorCode;

/**
 * libvirt 9.0's wording for each error code: the message without detail, and the format with one
 * {@code %s} for the detail that also travels as str1 in an error reply (virErrorMsg).
 */
final class ErrorMessages {
    record Wording(String plain, String format) {
        String message(String detail) {
            return detail == null ? plain : format.replace("%s", detail);
        }

        String str1(String detail) {
            return detail == null ? plain : format;
        }
    }

    private static final Map<Integer, Wording> BY_CODE = Map.ofEntries(
        entry(1, "internal error", "internal error: %s"),
        entry(2, "out of memory", "out of memory: %s"),
        entry(3, "this function is not supported by the connection driver",
            "this function is not supported by the connection driver: %s"),
        entry(4, "unknown host", "unknown host %s"),
        entry(5, "no connection driver available", "no connection driver available for %s"),
        entry(6, "invalid connection pointer in", "invalid connection pointer in %s"),
        entry(7, "invalid domain pointer in", "invalid domain pointer in %s"),
        entry(8, "invalid argument", "invalid argument: %s"),
        entry(9, "operation failed", "operation failed: %s"),
        entry(16, "unknown OS type", "unknown OS type %s"),
        entry(21, "missing name information", "missing name information in %s"),
        entry(27, "XML description is invalid or not well formed", "XML error: %s"),
        entry(28, "this domain exists already", "domain %s exists already"),
        entry(29, "operation forbidden for read only access", "operation forbidden: %s"),
        entry(30, "failed to open configuration file", "failed to open configuration file %s"),
        entry(31, "failed to read configuration file", "failed to read configuration file %s"),
        entry(32, "failed to parse configuration file", "failed to parse configuration file %s"),
        entry(33, "configuration file syntax error", "configuration file syntax error: %s"),
        entry(34, "failed to write configuration file", "failed to write configuration file: %s"),
        entry(35, "parser error", "%s"),
        entry(36, "invalid network pointer in", "invalid network pointer in %s"),
        entry(37, "this network exists already", "network %s exists already"),
        entry(38, "system call error", "%s"),
        entry(39, "RPC error", "%s"),
        entry(42, "Domain not found", "Domain not found: %s"),
        entry(43, "Network not found", "Network not found: %s"),
        entry(44, "invalid MAC address", "invalid MAC address: %s"),
        entry(45, "authentication failed", "authentication failed: %s"),
        entry(46, "invalid storage pool pointer in", "invalid storage pool pointer in %s"),
        entry(47, "invalid storage volume pointer in", "invalid storage volume pointer in %s"),
        entry(49, "Storage pool not found", "Storage pool not found: %s"),
        entry(50, "Storage volume not found", "Storage volume not found: %s"),
        entry(55, "Requested operation is not valid", "Requested operation is not valid: %s"),
        entry(67, "unsupported configuration", "unsupported configuration: %s"),
        entry(68, "Timed out during operation", "Timed out during operation: %s"),
        entry(73, "invalid stream pointer", "invalid stream pointer in %s"),
        entry(74, "argument unsupported", "argument unsupported: %s"),
        entry(76, "Storage pool already built", "Storage pool already built: %s"),
        entry(78, "operation aborted", "operation aborted: %s"),
        entry(82, "numerical overflow", "numerical overflow: %s"),
        entry(84, "Operation not supported", "Operation not supported: %s"),
        entry(87, "resource busy", "resource busy: %s"),
        entry(88, "access denied", "access denied: %s"),
        entry(90, "this storage volume exists already", "storage volume %s exists already"),
        entry(92, "XML document failed to validate against schema",
            "XML document failed to validate against schema: %s"),
        entry(95, "Server not found", "Server not found: %s"),
        entry(96, "Client not found", "Client not found: %s"),
        entry(99, "device not found", "device not found: %s"));

    private ErrorMessages() {
    }

    private static Map.Entry<Integer, Wording> entry(int code, String plain, String format) {
        return Map.entry(code, new Wording(plain, format));
    }

    /** The wording for a code; codes libvirt has but this table lacks fall back to "prefix: %s". */
    static Wording of(ErrorCode code) {
        Wording wording = BY_CODE.get(code.number());
        if (wording != null) {
            return wording;
        }
        return new Wording(code.prefix(), code.prefix().isEmpty() ? "%s" : code.prefix() + ": %s");
    }
}
