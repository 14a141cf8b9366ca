package org.jvirtd.rpc.testing;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;

import org.jvirtd.api.connect.Connection;

/**
 * Counts the event subscriptions made through the services it wraps (the connections Hypervisors opens,
 * Networks, StoragePools), so that a test waits until a client's event callback is registered before
 * it causes the events, instead of sleeping and hoping.
 */
final class SubscriptionCount {
    private final AtomicInteger made = new AtomicInteger();

    /** Subscriptions made so far (it only grows: a test compares it with the count before its client). */
    int made() {
        return made.get();
    }

    /** The service as the server sees it: every call goes to {@code target}; subscribe calls are counted. */
    <T> T watch(Class<T> type, T target) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class && method.getName().equals("equals")) {
                return proxy == args[0];
            }
            Object result;
            try {
                result = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (method.getName().equals("subscribe")) {
                made.incrementAndGet();
            }
            if (method.getReturnType() == Connection.class && result != null) {
                return watch(Connection.class, (Connection) result);
            }
            return result;
        }));
    }
}
