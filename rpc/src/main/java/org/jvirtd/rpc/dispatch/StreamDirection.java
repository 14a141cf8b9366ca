package org.jvirtd.rpc.dispatch;

/** Which way a procedure's stream carries data, if it opens one. */
public enum StreamDirection {
    NONE,
    /** The client sends data (upload, migration tunnel). */
    CLIENT_TO_SERVER,
    /** The daemon sends data (download, console, screenshot). */
    SERVER_TO_CLIENT
}
