package org.jvirtd.rpc.server;

import java.util.ArrayList;
import java.util.List;

/** Call latencies, in nanoseconds as measured, reported in milliseconds. */
final class Latency {
    private final List<Long> samples = new ArrayList<>();

    synchronized void add(long nanos) {
        samples.add(nanos);
    }

    synchronized int count() {
        return samples.size();
    }

    double p50() {
        return percentile(50);
    }

    double p99() {
        return percentile(99);
    }

    double max() {
        return percentile(100);
    }

    private synchronized double percentile(int percent) {
        if (samples.isEmpty()) {
            return Double.NaN;
        }
        List<Long> sorted = new ArrayList<>(samples);
        sorted.sort(Long::compare);
        int index = Math.min(sorted.size() - 1, (int) Math.ceil(percent / 100.0 * sorted.size()) - 1);
        return sorted.get(Math.max(0, index)) / 1e6;
    }
}
