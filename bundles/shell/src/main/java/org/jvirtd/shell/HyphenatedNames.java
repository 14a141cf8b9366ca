package org.jvirtd.shell;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;

import org.apache.felix.gogo.runtime.Reflective;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Function;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * Gives commands virsh's hyphenated names: Java methods cannot carry a '-', so a command object's
 * {@code net_list} method is also registered as a Gogo Function named {@code net-list} that dispatches
 * to it with Gogo's own argument handling (help still comes from the method's descriptors).
 */
final class HyphenatedNames implements AutoCloseable {
    private final List<ServiceRegistration<Function>> registrations = new ArrayList<>();

    /** Registers every described method of {@code commands} whose name has an '_' under its hyphenated name. */
    static HyphenatedNames register(BundleContext context, Object commands) {
        HyphenatedNames names = new HyphenatedNames();
        for (Method method : commands.getClass().getMethods()) {
            if (method.isAnnotationPresent(Descriptor.class) && method.getName().contains("_")) {
                Hashtable<String, Object> properties = new Hashtable<>();
                properties.put("osgi.command.scope", "virt");
                properties.put("osgi.command.function", method.getName().replace('_', '-'));
                String target = method.getName();
                Function alias = (session, arguments) -> Reflective.invoke(session, commands, target, arguments);
                names.registrations.add(context.registerService(Function.class, alias, properties));
            }
        }
        return names;
    }

    @Override
    public void close() {
        registrations.forEach(ServiceRegistration::unregister);
        registrations.clear();
    }
}
