package org.jvirtd.driver.qemu.internal.guest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.w3c.dom.Element;

/**
 * A domain's {@code <redirfilter>} as the filter property of QEMU's usb-redir: one
 * {@code class:vendor:product:version:allow} rule per {@code <usbdev>}, joined by {@code |}; numbers in
 * upper-case hex (class two digits, the others four), -1 for "any", the version "M.mm" as its BCD digits
 * (9.4 is 0x0940), allow 1 or 0.
 */
final class RedirFilter {
    private RedirFilter() {
    }

    /** The filter string, or null when there is no filter or it has no rules. */
    static String of(Element redirfilter) {
        List<String> rules = new ArrayList<>();
        for (Element usbdev : Dom.children(redirfilter, "usbdev")) {
            rules.add(hex(Dom.attr(usbdev, "class"), 2) + ":" + hex(Dom.attr(usbdev, "vendor"), 4) + ":"
                + hex(Dom.attr(usbdev, "product"), 4) + ":" + version(Dom.attr(usbdev, "version")) + ":"
                + ("yes".equals(Dom.attr(usbdev, "allow")) ? "1" : "0"));
        }
        return rules.isEmpty() ? null : String.join("|", rules);
    }

    private static String hex(String value, int digits) {
        if (value == null || "-1".equals(value.strip())) {
            return "-1";
        }
        try {
            Integer n = Dom.number(value);
            return String.format(Locale.ROOT, "0x%0" + digits + "X", n);
        } catch (NumberFormatException e) {
            return "-1";
        }
    }

    private static String version(String value) {
        if (value == null || "-1".equals(value.strip()) || !value.strip().matches("[0-9]{1,2}(\\.[0-9]{1,2})?")) {
            return "-1";
        }
        String[] parts = value.strip().split("\\.");
        String minor = parts.length > 1 ? (parts[1] + "0").substring(0, 2) : "00";
        return String.format(Locale.ROOT, "0x%02d", Integer.parseInt(parts[0])) + minor;
    }
}
