package org.jvirtd.storage.util;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jvirtd.api.storage.ProgressListener;

/**
 * Turns qemu-img's {@code -p} progress lines ("    (42.00/100%)") into progress calls out of 10000.
 */
final class QemuImgProgress {
    private static final Pattern PERCENT = Pattern.compile("\\((\\d+(?:\\.\\d+)?)/100%\\)");

    private QemuImgProgress() {
    }

    static void report(String line, ProgressListener progress) {
        Matcher m = PERCENT.matcher(line);
        if (m.find()) {
            progress.progress(Math.round(Double.parseDouble(m.group(1)) * 100), 10000);
        }
    }
}
