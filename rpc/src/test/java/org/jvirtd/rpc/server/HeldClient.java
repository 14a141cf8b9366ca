package org.jvirtd.rpc.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A libvirt-python client that opens a connection, prints isSecure() and holds it until closed. */
final class HeldClient implements AutoCloseable {
    private final Process process;
    private final BufferedReader out;

    private HeldClient(Process process) {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    static HeldClient open(String uri, String... runAs) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of(runAs));
        command.addAll(List.of("/usr/bin/python3", "-c", String.join("\n",
            "import libvirt, sys",
            "c = libvirt.open(sys.argv[1])",
            "print(c.isSecure(), flush=True)",
            "sys.stdin.readline()"), uri));
        return new HeldClient(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
    }

    /** What the client printed once connected, or null when it failed. */
    String firstLine() throws IOException {
        return out.readLine();
    }

    @Override
    public void close() throws Exception {
        process.getOutputStream().close();
        process.waitFor();
    }
}
