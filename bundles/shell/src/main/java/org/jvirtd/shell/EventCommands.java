package org.jvirtd.shell;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.Connection;
import org.jvirtd.api.event.DomainEvent;
import org.jvirtd.api.event.DomainEventListener;
import org.jvirtd.api.event.JobCompletedEvent;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * virsh's {@code event}: prints domain lifecycle events as they happen, in virsh's words.
 */
@Component(service = EventCommands.class, property = {"osgi.command.scope=virt", "osgi.command.function=event"})
public final class EventCommands {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSZ");

    private final ShellConnections connections;

    @Activate
    public EventCommands(@Reference ShellConnections connections) {
        this.connections = connections;
    }

    /** One event as printed, with the domain it is about. */
    private record Line(String domain, String text) {
    }

    @Descriptor("domain events: wait for one lifecycle event (or keep printing them with --loop)")
    public void event(CommandSession session,
                      @Descriptor("which domain (default: all domains)")
                      @Parameter(names = "--domain", absentValue = "") String domain,
                      @Descriptor("show events of every kind (lifecycle, job-completed and tunable)")
                      @Parameter(names = "--all", presentValue = "true", absentValue = "false") boolean all,
                      @Descriptor("keep waiting for events rather than stopping after the first")
                      @Parameter(names = "--loop", presentValue = "true", absentValue = "false") boolean loop,
                      @Descriptor("stop after this many seconds (0: no limit)")
                      @Parameter(names = "--timeout", absentValue = "0") int timeout,
                      @Descriptor("print a timestamp before each event")
                      @Parameter(names = "--timestamp", presentValue = "true", absentValue = "false")
                      boolean timestamp) {
        Shell.run(session, null, () -> {
            LinkedBlockingQueue<Line> queue = new LinkedBlockingQueue<>();
            int count = 0;
            DomainEventListener listener = new DomainEventListener() {
                @Override
                public void onDomainEvent(DomainEvent event) {
                    queue.add(new Line(event.domain().name(), event.describe()));
                }

                @Override
                public void onJobCompleted(JobCompletedEvent event) {
                    if (all) {
                        queue.add(new Line(event.domain().name(), event.describe()));
                    }
                }

                @Override
                public void onTunable(org.jvirtd.api.event.TunableEvent event) {
                    if (all) {
                        queue.add(new Line(event.domain().name(), event.describe()));
                    }
                }
            };
            try (Connection c = connections.open(session);
                 AutoCloseable subscription = c.subscribe(listener)) {
                long deadline = timeout > 0 ? System.nanoTime() + TimeUnit.SECONDS.toNanos(timeout) : Long.MAX_VALUE;
                while (loop || count == 0) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    Line event = queue.poll(Math.min(left, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS);
                    if (event == null || (!domain.isEmpty() && !domain.equals(event.domain()))) {
                        continue;
                    }
                    String prefix = timestamp ? OffsetDateTime.now().format(STAMP) + ": " : "";
                    System.out.println(prefix + event.text());
                    System.out.flush();
                    count++;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (VirtException e) {
                throw e;
            } catch (Exception e) {
                throw new ShellError(e.getMessage());
            }
            System.out.println("events received: " + count);
        });
    }
}
