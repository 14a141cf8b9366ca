package org.jvirtd.api;

/**
 * libvirt's error codes (virErrorNumber) with their numbers and libvirt 9.0's wording: the message
 * without a detail, and the format into which a detail goes (virErrorMsg).
 */
public enum ErrorCode {
    OK(0, "", ""),
    INTERNAL_ERROR(1, "internal error", "internal error: %s"),
    NO_MEMORY(2, "out of memory", "out of memory: %s"),
    NO_SUPPORT(3, "this function is not supported by the connection driver",
        "this function is not supported by the connection driver: %s"),
    UNKNOWN_HOST(4, "unknown host", "unknown host %s"),
    NO_CONNECT(5, "no connection driver available", "no connection driver available for %s"),
    INVALID_CONN(6, "invalid connection pointer in", "invalid connection pointer in %s"),
    INVALID_DOMAIN(7, "invalid domain pointer in", "invalid domain pointer in %s"),
    INVALID_ARG(8, "invalid argument", "invalid argument: %s"),
    OPERATION_FAILED(9, "operation failed", "operation failed: %s"),
    OS_TYPE(16, "unknown OS type", "unknown OS type %s"),
    NO_SOURCE(19, "missing source information for device",
        "missing source information for device %s"),
    NO_TARGET(20, "missing target information for device",
        "missing target information for device %s"),
    NO_NAME(21, "missing name information", "missing name information in %s"),
    NO_OS(22, "missing operating system information",
        "missing operating system information for %s"),
    NO_DEVICE(23, "missing devices information", "missing devices information for %s"),
    XML_ERROR(27, "XML description is invalid or not well formed", "XML error: %s"),
    DOM_EXIST(28, "this domain exists already", "domain %s exists already"),
    OPERATION_DENIED(29, "operation forbidden for read only access", "operation forbidden: %s"),
    OPEN_FAILED(30, "failed to open configuration file", "failed to open configuration file %s"),
    READ_FAILED(31, "failed to read configuration file", "failed to read configuration file %s"),
    PARSE_FAILED(32, "failed to parse configuration file",
        "failed to parse configuration file %s"),
    CONF_SYNTAX(33, "configuration file syntax error", "configuration file syntax error: %s"),
    WRITE_FAILED(34, "failed to write configuration file",
        "failed to write configuration file: %s"),
    XML_DETAIL(35, "parser error", "%s"),
    INVALID_NETWORK(36, "invalid network pointer in", "invalid network pointer in %s"),
    NETWORK_EXIST(37, "this network exists already", "network %s exists already"),
    SYSTEM_ERROR(38, "system call error", "%s"),
    RPC(39, "RPC error", "%s"),
    GNUTLS_ERROR(40, "GNUTLS call error", "%s"),
    NO_DOMAIN(42, "Domain not found", "Domain not found: %s"),
    NO_NETWORK(43, "Network not found", "Network not found: %s"),
    INVALID_MAC(44, "invalid MAC address", "invalid MAC address: %s"),
    AUTH_FAILED(45, "authentication failed", "authentication failed: %s"),
    INVALID_STORAGE_POOL(46, "invalid storage pool pointer in", "invalid storage pool pointer in %s"),
    INVALID_STORAGE_VOL(47, "invalid storage volume pointer in", "invalid storage volume pointer in %s"),
    NO_STORAGE_POOL(49, "Storage pool not found", "Storage pool not found: %s"),
    NO_STORAGE_VOL(50, "Storage volume not found", "Storage volume not found: %s"),
    NO_NODE_DEVICE(53, "Node device not found", "Node device not found: %s"),
    NO_SECURITY_MODEL(54, "Security model not found", "Security model not found: %s"),
    OPERATION_INVALID(55, "Requested operation is not valid", "Requested operation is not valid: %s"),
    NO_INTERFACE(57, "Interface not found", "Interface not found: %s"),
    BUILD_FIREWALL(63, "Error while building firewall", "Error while building firewall: %s"),
    INVALID_NWFILTER(61, "Invalid network filter", "Invalid network filter: %s"),
    NO_NWFILTER(62, "Network filter not found", "Network filter not found: %s"),
    INVALID_SECRET(65, "Invalid secret", "Invalid secret: %s"),
    NO_SECRET(66, "Secret not found", "Secret not found: %s"),
    CONFIG_UNSUPPORTED(67, "unsupported configuration", "unsupported configuration: %s"),
    OPERATION_TIMEOUT(68, "Timed out during operation", "Timed out during operation: %s"),
    HOOK_SCRIPT_FAILED(70, "Hook script execution failed", "Hook script execution failed: %s"),
    NO_DOMAIN_SNAPSHOT(72, "Domain snapshot not found", "Domain snapshot not found: %s"),
    INVALID_STREAM(73, "invalid stream pointer", "invalid stream pointer in %s"),
    ARGUMENT_UNSUPPORTED(74, "argument unsupported", "argument unsupported: %s"),
    STORAGE_PROBE_FAILED(75, "Storage pool probe failed", "Storage pool probe failed: %s"),
    STORAGE_POOL_BUILT(76, "Storage pool already built", "Storage pool already built: %s"),
    SNAPSHOT_REVERT_RISKY(77, "revert requires force", "revert requires force: %s"),
    OPERATION_ABORTED(78, "operation aborted", "operation aborted: %s"),
    AUTH_CANCELLED(79, "authentication cancelled", "authentication cancelled: %s"),
    NO_DOMAIN_METADATA(80, "metadata not found", "metadata not found: %s"),
    MIGRATE_UNSAFE(81, "Unsafe migration", "Unsafe migration: %s"),
    OVERFLOW(82, "numerical overflow", "numerical overflow: %s"),
    BLOCK_COPY_ACTIVE(83, "block copy still active", "block copy still active: %s"),
    OPERATION_UNSUPPORTED(84, "Operation not supported", "Operation not supported: %s"),
    AGENT_UNRESPONSIVE(86, "Guest agent is not responding", "Guest agent is not responding: %s"),
    RESOURCE_BUSY(87, "resource busy", "resource busy: %s"),
    ACCESS_DENIED(88, "access denied", "access denied: %s"),
    STORAGE_VOL_EXIST(90, "this storage volume exists already", "storage volume %s exists already"),
    CPU_INCOMPATIBLE(91, "the CPU is incompatible with host CPU",
        "the CPU is incompatible with host CPU: %s"),
    XML_INVALID_SCHEMA(92, "XML document failed to validate against schema",
        "XML document failed to validate against schema: %s"),
    AUTH_UNAVAILABLE(94, "authentication unavailable", "authentication unavailable: %s"),
    NO_SERVER(95, "Server not found", "Server not found: %s"),
    NO_CLIENT(96, "Client not found", "Client not found: %s"),
    DEVICE_MISSING(99, "device not found", "device not found: %s"),
    INVALID_NWFILTER_BINDING(100, "Invalid network filter binding", "Invalid network filter binding: %s"),
    NO_NWFILTER_BINDING(101, "Network filter binding not found", "Network filter binding not found: %s"),
    INVALID_DOMAIN_CHECKPOINT(102, "Invalid domain checkpoint", "Invalid domain checkpoint: %s"),
    NO_DOMAIN_CHECKPOINT(103, "Domain checkpoint not found", "Domain checkpoint not found: %s"),
    NO_DOMAIN_BACKUP(104, "Domain backup job id not found", "Domain backup job id not found: %s"),
    NETWORK_PORT_EXIST(106, "this network port exists already", "network port %s exists already"),
    NO_NETWORK_PORT(107, "network port not found", "network port not found: %s"),
    NO_HOSTNAME(108, "no hostname found", "no hostname found: %s"),
    MULTIPLE_DOMAINS(110, "multiple matching domains found", "multiple matching domains found: %s");

    private final int number;
    private final String plain;
    private final String format;

    ErrorCode(int number, String plain, String format) {
        this.number = number;
        this.plain = plain;
        this.format = format;
    }

    /** The virErrorNumber value sent on the wire. */
    public int number() {
        return number;
    }

    /** The message libvirt shows when there is no detail. */
    public String plain() {
        return plain;
    }

    /** The message format with one {@code %s} for the detail; what an error reply carries as str1. */
    public String format() {
        return format;
    }

    /** The full message for a detail, as libvirt composes it ("Domain not found: no domain ..."). */
    public String message(String detail) {
        return detail == null || detail.isEmpty() ? plain : format.replace("%s", detail);
    }

    public static ErrorCode fromNumber(int number) {
        for (ErrorCode code : values()) {
            if (code.number == number) {
                return code;
            }
        }
        return INTERNAL_ERROR;
    }
}
