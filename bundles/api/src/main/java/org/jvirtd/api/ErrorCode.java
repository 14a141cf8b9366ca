package org.jvirtd.api;

/**
 * libvirt's error codes (virErrorNumber) with their numbers and the message prefixes clients print.
 */
public enum ErrorCode {
    OK(0, ""),
    INTERNAL_ERROR(1, "internal error"),
    NO_MEMORY(2, "out of memory"),
    NO_SUPPORT(3, "this function is not supported by the connection driver"),
    UNKNOWN_HOST(4, "unknown host"),
    NO_CONNECT(5, "no connection driver available"),
    INVALID_CONN(6, "invalid connection pointer in"),
    INVALID_DOMAIN(7, "invalid domain pointer in"),
    INVALID_ARG(8, "invalid argument"),
    OPERATION_FAILED(9, "operation failed"),
    OS_TYPE(16, "unknown OS type"),
    NO_NAME(21, "missing name information"),
    XML_ERROR(27, "XML error"),
    DOM_EXIST(28, "this domain exists already"),
    OPERATION_DENIED(29, "operation forbidden"),
    OPEN_FAILED(30, "failed to open configuration file"),
    READ_FAILED(31, "failed to read configuration file"),
    PARSE_FAILED(32, "failed to parse configuration file"),
    CONF_SYNTAX(33, "configuration file syntax error"),
    WRITE_FAILED(34, "failed to write configuration file"),
    XML_DETAIL(35, "XML error"),
    INVALID_NETWORK(36, "invalid network pointer in"),
    NETWORK_EXIST(37, "this network exists already"),
    SYSTEM_ERROR(38, ""),
    RPC(39, "RPC error"),
    NO_DOMAIN(42, "Domain not found"),
    NO_NETWORK(43, "Network not found"),
    INVALID_MAC(44, "invalid MAC address"),
    AUTH_FAILED(45, "authentication failed"),
    INVALID_STORAGE_POOL(46, "invalid storage pool pointer in"),
    INVALID_STORAGE_VOL(47, "invalid storage volume pointer in"),
    NO_STORAGE_POOL(49, "Storage pool not found"),
    NO_STORAGE_VOL(50, "Storage volume not found"),
    OPERATION_INVALID(55, "Requested operation is not valid"),
    CONFIG_UNSUPPORTED(67, "unsupported configuration"),
    OPERATION_TIMEOUT(68, "Timed out during operation"),
    INVALID_STREAM(73, "invalid stream pointer in"),
    ARGUMENT_UNSUPPORTED(74, "argument unsupported"),
    STORAGE_POOL_BUILT(76, "storage pool already built"),
    OPERATION_ABORTED(78, "operation aborted"),
    OVERFLOW(82, "numerical overflow"),
    OPERATION_UNSUPPORTED(84, "Operation not supported"),
    RESOURCE_BUSY(87, "resource busy"),
    ACCESS_DENIED(88, "access denied"),
    STORAGE_VOL_EXIST(90, "this storage volume exists already"),
    XML_INVALID_SCHEMA(92, "XML document failed to validate against schema"),
    NO_SERVER(95, "Server not found"),
    NO_CLIENT(96, "Client not found"),
    DEVICE_MISSING(99, "device not found");

    private final int number;
    private final String prefix;

    ErrorCode(int number, String prefix) {
        this.number = number;
        this.prefix = prefix;
    }

    /** The virErrorNumber value sent on the wire. */
    public int number() {
        return number;
    }

    /** The text libvirt puts before ": detail" in a message. */
    public String prefix() {
        return prefix;
    }

    /** The full message for a detail, as libvirt composes it ("Domain not found: no domain ..."). */
    public String message(String detail) {
        if (detail == null || detail.isEmpty()) {
            return prefix;
        }
        return prefix.isEmpty() ? detail : prefix + ": " + detail;
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
