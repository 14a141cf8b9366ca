package org.jvirtd.api.domain;

import java.io.IOException;

import org.osgi.annotation.versioning.ProviderType;

/**
 * An open console of a running domain (virDomainOpenConsole): the bytes its character device sends, and a
 * way to send it bytes. It ends when it is closed, when another client takes the console over by force or
 * when the guest's device goes away.
 */
@ProviderType
public interface ConsoleStream extends AutoCloseable {
    /** Blocks for the next bytes from the device; -1 once the console has ended. */
    int read(byte[] buffer) throws IOException;

    /** Sends bytes to the device. */
    void write(byte[] data, int offset, int length) throws IOException;

    @Override
    void close();
}
