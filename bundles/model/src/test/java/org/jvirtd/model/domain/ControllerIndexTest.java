package org.jvirtd.model.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jvirtd.api.VirtException;
import org.junit.jupiter.api.Test;

/**
 * Indexes given to controllers without one, as libvirt 9.0 gives them (each expectation was read from its
 * dumpxml of the same definition, each message from its refusal): ICH9 USB2 companions join the set of the
 * controller before them, and only such a set shares an index.
 */
class ControllerIndexTest {
    private static final Pattern USB = Pattern.compile("<controller type='usb' index='(\\d+)' model='([^']+)'");

    private static String usb(String model, Integer startPort) {
        return "<controller type='usb' model='" + model + "'>"
            + (startPort == null ? "" : "<master startport='" + startPort + "'/>") + "</controller>";
    }

    private static List<String> indexes(String... controllers) {
        String xml = "<domain type='qemu'><name>u</name><memory>131072</memory><os><type>hvm</type></os><devices>"
            + String.join("", controllers) + "</devices></domain>";
        Matcher m = USB.matcher(DomainXml.format(DomainXml.parse(xml), -1, DomainXml.INACTIVE));
        List<String> result = new ArrayList<>();
        while (m.find()) {
            result.add(m.group(2) + "=" + m.group(1));
        }
        return result;
    }

    @Test
    void companionsOfAnEhciShareItsIndex() {
        assertEquals(List.of("ich9-ehci1=0", "ich9-uhci1=0", "ich9-uhci2=0", "ich9-uhci3=0"),
            indexes(usb("ich9-ehci1", null), usb("ich9-uhci1", 0), usb("ich9-uhci2", 2), usb("ich9-uhci3", 4)));
    }

    @Test
    void aModelTheSetAlreadyHasStartsTheNextSet() {
        assertEquals(List.of("ich9-ehci1=0", "ich9-uhci1=0", "ich9-uhci2=0", "ich9-ehci1=1", "ich9-uhci1=1"),
            indexes(usb("ich9-ehci1", null), usb("ich9-uhci1", 0), usb("ich9-uhci2", 2), usb("ich9-ehci1", null),
                usb("ich9-uhci1", 0)));
        assertEquals(List.of("ich9-ehci1=0", "ich9-uhci1=0", "ich9-uhci1=1"),
            indexes(usb("ich9-ehci1", null), usb("ich9-uhci1", 0), usb("ich9-uhci1", 0)));
    }

    @Test
    void anExplicitIndexIsTheSetsIndexAndOtherModelsTakeTheLowestFreeOne() {
        assertEquals(List.of("ich9-ehci1=3", "ich9-uhci1=3", "ich9-uhci2=3"),
            indexes("<controller type='usb' index='3' model='ich9-ehci1'/>", usb("ich9-uhci1", 0),
                usb("ich9-uhci2", 2)));
        assertEquals(List.of("qemu-xhci=0", "ich9-ehci1=1", "ich9-uhci1=1"),
            indexes(usb("qemu-xhci", null), usb("ich9-ehci1", null), usb("ich9-uhci1", 0)));
        assertEquals(List.of("ich9-ehci1=0", "piix3-uhci=1", "ich9-uhci1=2"),
            indexes(usb("ich9-ehci1", null), usb("piix3-uhci", null), usb("ich9-uhci1", 0)));
    }

    @Test
    void aUsbControllerWithoutModelAfterAUsb2OneTakesTheNextIndex() {
        String xml = "<domain type='qemu'><name>u</name><memory>131072</memory><os><type>hvm</type></os><devices>"
            + usb("ich9-ehci1", null) + "<controller type='usb'/></devices></domain>";
        String out = DomainXml.format(DomainXml.parse(xml), -1, DomainXml.INACTIVE);
        assertTrue(out.contains("<controller type='usb' index='1'/>"), out);
    }

    @Test
    void onlyAUsb2SetSharesAnIndex() {
        VirtException usb = assertThrows(VirtException.class, () -> indexes(
            "<controller type='usb' index='0' model='piix3-uhci'/>", "<controller type='usb' index='0' model='nec-xhci'/>"));
        assertEquals("XML error: Duplicate USB controllers with index 0", usb.getMessage());
        VirtException mixed = assertThrows(VirtException.class, () -> indexes(
            "<controller type='usb' index='0' model='ich9-ehci1'/>", "<controller type='usb' index='0' model='nec-xhci'/>"));
        assertEquals("XML error: Duplicate USB controllers with index 0", mixed.getMessage());
        VirtException ide = assertThrows(VirtException.class, () -> indexes(
            "<controller type='ide' index='0'/>", "<controller type='ide' index='0'/>"));
        assertEquals("XML error: Multiple 'ide' controllers with index '0'", ide.getMessage());
    }
}
