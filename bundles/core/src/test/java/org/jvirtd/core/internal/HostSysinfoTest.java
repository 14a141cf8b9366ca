package org.jvirtd.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** dmidecode's text (a sample written in its format: tab-indented "Label: value" lines) as libvirt's sysinfo XML. */
class HostSysinfoTest {
    private static final String DMIDECODE = """
        BIOS Information
        \tVendor: SeaBIOS
        \tVersion: 1.16.2-debian-1.16.2-1
        \tRelease Date: 04/01/2014
        \tAddress: 0xE8000
        \tBIOS Revision: 0.0

        System Information
        \tManufacturer: QEMU
        \tProduct Name: Standard PC (i440FX + PIIX, 1996)
        \tVersion: pc-i440fx-7.2
        \tSerial Number: Not Specified
        \tUUID: 3c0e4a4e-1b2a-4b6e-9d3c-2f1e0a9b8c7d
        \tWake-up Type: Power Switch
        \tSKU Number: Not Specified
        \tFamily: Not Specified

        Chassis Information
        \tManufacturer: QEMU
        \tType: Other
        \tLock: Not Present
        \tVersion: pc-i440fx-7.2
        \tSerial Number: Not Specified
        \tAsset Tag: Not Specified

        Processor Information
        \tSocket Designation: CPU 0
        \tType: Central Processor
        \tFamily: Other
        \tManufacturer: QEMU
        \tSignature: Family 15, Model 107, Stepping 1
        \tVersion: pc-i440fx-7.2
        \tExternal Clock: Unknown
        \tMax Speed: 2000 MHz
        \tStatus: Populated, Enabled

        OEM Strings
        \tString 1: rack 4 <b>

        Memory Device
        \tSize: 8 GB
        \tForm Factor: DIMM
        \tLocator: DIMM 0
        \tBank Locator: Not Specified
        \tType: RAM
        \tType Detail: Other
        \tManufacturer: QEMU

        Memory Device
        \tSize: No Module Installed
        \tLocator: DIMM 1
        """;

    @Test
    void eachTableBecomesItsElementWithLibvirtsEntryNames() {
        assertEquals("""
            <sysinfo type='smbios'>
              <bios>
                <entry name='vendor'>SeaBIOS</entry>
                <entry name='version'>1.16.2-debian-1.16.2-1</entry>
                <entry name='date'>04/01/2014</entry>
                <entry name='release'>0.0</entry>
              </bios>
              <system>
                <entry name='manufacturer'>QEMU</entry>
                <entry name='product'>Standard PC (i440FX + PIIX, 1996)</entry>
                <entry name='version'>pc-i440fx-7.2</entry>
                <entry name='serial'>Not Specified</entry>
                <entry name='uuid'>3c0e4a4e-1b2a-4b6e-9d3c-2f1e0a9b8c7d</entry>
                <entry name='sku'>Not Specified</entry>
                <entry name='family'>Not Specified</entry>
              </system>
              <chassis>
                <entry name='manufacturer'>QEMU</entry>
                <entry name='version'>pc-i440fx-7.2</entry>
                <entry name='serial'>Not Specified</entry>
                <entry name='asset'>Not Specified</entry>
              </chassis>
              <processor>
                <entry name='socket_destination'>CPU 0</entry>
                <entry name='type'>Central Processor</entry>
                <entry name='family'>Other</entry>
                <entry name='manufacturer'>QEMU</entry>
                <entry name='signature'>Family 15, Model 107, Stepping 1</entry>
                <entry name='version'>pc-i440fx-7.2</entry>
                <entry name='external_clock'>Unknown</entry>
                <entry name='max_speed'>2000 MHz</entry>
                <entry name='status'>Populated, Enabled</entry>
              </processor>
              <memory_device>
                <entry name='size'>8 GB</entry>
                <entry name='form_factor'>DIMM</entry>
                <entry name='locator'>DIMM 0</entry>
                <entry name='bank_locator'>Not Specified</entry>
                <entry name='type'>RAM</entry>
                <entry name='type_detail'>Other</entry>
                <entry name='manufacturer'>QEMU</entry>
              </memory_device>
              <oemStrings>
                <entry>rack 4 &lt;b&gt;</entry>
              </oemStrings>
            </sysinfo>
            """, HostSysinfo.format(DMIDECODE));
    }
}
