package org.jvirtd.driver.test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.domain.DomainState;
import org.jvirtd.api.domain.StateReason;
import org.jvirtd.api.driver.DomainHandle;
import org.jvirtd.api.driver.HypervisorDriver;
import org.jvirtd.model.domain.DomainDef;
import org.jvirtd.model.domain.DomainXml;
import org.osgi.service.component.annotations.Component;

/**
 * An in-memory hypervisor behind test:///default: domains go through the real states without any
 * process, so every other layer can be tested without hardware. Its "running guest" is the status core
 * keeps, so it survives a driver update or a daemon restart like a real guest does.
 */
@Component(service = HypervisorDriver.class, property = HypervisorDriver.PROPERTY + "=test")
public final class TestDriver implements HypervisorDriver {
    /** The first line of a save image this driver writes. */
    static final String SAVE_MAGIC = "JvirtdTestSave1";
    private static final String STARTED = "started";

    @Override
    public String name() {
        return "test";
    }

    @Override
    public String type() {
        return "TEST";
    }

    @Override
    public ErrorDomain errorDomain() {
        return ErrorDomain.TEST;
    }

    @Override
    public long hypervisorVersion() {
        return 2;
    }

    @Override
    public boolean accepts(java.net.URI uri) {
        return "test".equals(uri.getScheme()) && "/default".equals(uri.getPath());
    }

    @Override
    public String capabilities() {
        return TestCapabilities.XML;
    }

    @Override
    public int maxVcpus(String type) {
        return 32;
    }

    @Override
    public String validateDefinition(String xml) {
        DomainDef def = DomainXml.parse(xml, DomainXml.NEW_DEFINITION);
        if (!"test".equals(def.type())) {
            throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.TEST,
                "could not find capabilities for domaintype=" + def.type());
        }
        return DomainXml.format(def, def.id(), DomainXml.SECURE); // parsed once, in libvirt's order
    }

    @Override
    public void start(DomainHandle domain, boolean paused) {
        domain.putRuntime(Map.of(STARTED, Long.toString(System.currentTimeMillis())));
    }

    @Override
    public void shutdown(DomainHandle domain) {
        domain.stateChanged(DomainState.SHUTOFF, StateReason.SHUTOFF_SHUTDOWN);
    }

    @Override
    public void reboot(DomainHandle domain) {
        domain.putRuntime(Map.of(STARTED, Long.toString(System.currentTimeMillis())));
    }

    @Override
    public void destroy(DomainHandle domain) {
        // Nothing runs: core records the stop.
    }

    @Override
    public void suspend(DomainHandle domain) {
        // The in-memory guest has no CPUs to stop: core records the pause.
    }

    @Override
    public void resume(DomainHandle domain) {
        // As suspend.
    }

    @Override
    public void save(DomainHandle domain, Path file) {
        try {
            Files.writeString(file, SAVE_MAGIC + "\n" + domain.xml(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw VirtErrors.system(ErrorDomain.TEST, "failed to write save file '" + file + "': " + e.getMessage(), e);
        }
    }

    @Override
    public String saveImageXml(Path file) {
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw VirtErrors.system(ErrorDomain.TEST, "cannot read domain image '" + file + "': " + e.getMessage(), e);
        }
        if (!content.startsWith(SAVE_MAGIC + "\n")) {
            throw VirtErrors.operationFailed(ErrorDomain.TEST, "mismatched header in save image '" + file + "'");
        }
        return content.substring(SAVE_MAGIC.length() + 1);
    }

    @Override
    public void restore(DomainHandle domain, Path file, boolean paused) {
        saveImageXml(file);
        start(domain, paused);
    }

    @Override
    public boolean reattach(DomainHandle domain) {
        return true;
    }

    @Override
    public long cpuTimeNanos(DomainHandle domain) {
        String started = domain.runtime().get(STARTED);
        if (started == null) {
            return 0;
        }
        // A made-up but steadily growing figure: 1% of the wall time since start.
        return Math.max(0, System.currentTimeMillis() - Long.parseLong(started)) * 10_000L;
    }
    // The test hypervisor runs nothing: a live change is the live definition core keeps, as in libvirt's test
    // driver, so these accept what core has checked.

    @Override
    public void addIothread(DomainHandle domain, int id, java.util.BitSet cpus) {
    }

    @Override
    public void delIothread(DomainHandle domain, int id) {
    }

    @Override
    public void pinIothread(DomainHandle domain, int id, java.util.BitSet cpus) {
    }

    @Override
    public void setIothreadParams(DomainHandle domain, int id, Map<String, Long> values) {
    }

    /** The live definition's {@code <iotune>} of the disk. */
    @Override
    public Map<String, Object> liveBlockIoTune(DomainHandle domain, String target) {
        org.jvirtd.model.domain.DomainEditor def = org.jvirtd.model.domain.DomainEditor.of(domain.xml());
        for (int i = 0; i < def.count("disk"); i++) {
            if (target.equals(def.attr("disk", i, "target", "dev"))) {
                return new java.util.LinkedHashMap<>(def.deviceChildTexts("disk", i, "iotune"));
            }
        }
        return Map.of();
    }

    @Override
    public void setLiveBlockIoTune(DomainHandle domain, String target, Map<String, Object> values) {
    }

    @Override
    public void setLiveNumaNodeset(DomainHandle domain, String nodeset) {
    }

    @Override
    public void setLiveBandwidth(DomainHandle domain, String device, Map<String, Map<String, Long>> bandwidth) {
    }
}
