package org.jvirtd.model.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.VirtException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DomainXmlErrorsTest {
    private static String domain(String name, String extra) {
        return "<domain type='kvm'><name>" + name + "</name>" + extra + "</domain>";
    }

    private static VirtException rejected(String xml) {
        return assertThrows(VirtException.class, () -> DomainXml.parse(xml));
    }

    /** Found by CI's fuzzing: a {@code <numa>} without cells, which libvirt ignores, made the parser fail. */
    @Test
    void aNumaWithoutCellsIsParsed() {
        DomainDef def = DomainXml.parse(domain("n", "<memory>65536</memory><cpu><numa>\n</numa></cpu>"),
            DomainXml.NEW_DEFINITION);
        assertEquals(65536, def.memoryKiB());
    }

    @Test
    void malformedXmlIsAnXmlDetailErrorWithTheLine() {
        VirtException e = rejected("<domain type='kvm'>\n<name>x</nam></domain>");
        assertEquals(ErrorCode.XML_DETAIL, e.code());
        assertTrue(e.getMessage().startsWith("(domain_definition):2:"), e.getMessage());
    }

    @Test
    void unknownRootElementIsAnXmlError() {
        VirtException e = rejected("<network><name>x</name></network>");
        assertEquals(ErrorCode.XML_ERROR, e.code());
        assertEquals("XML error: expecting root element of 'domain', not 'network'", e.getMessage());
    }

    @Test
    void missingNameIsNoName() {
        assertEquals(ErrorCode.NO_NAME, rejected("<domain type='kvm'><memory>1024</memory></domain>").code());
    }

    @Test
    void invalidUuidIsReportedAsMalformed() {
        VirtException e = rejected(domain("x", "<uuid>not-a-uuid</uuid>"));
        assertEquals(ErrorCode.INTERNAL_ERROR, e.code());
        assertEquals("internal error: malformed uuid element", e.getMessage());
    }

    @Test
    void missingUuidIsGenerated() {
        assertNotNull(DomainXml.parse(domain("x", "<memory>1024</memory>")).uuid());
    }

    @Test
    void nameWithSlashIsRejected() {
        VirtException e = rejected(domain("a/b", ""));
        assertEquals(ErrorCode.XML_DETAIL, e.code());
        assertEquals("invalid char in name: /", e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"1024,KiB,1024", "1024,k,1024", "2,MiB,2048", "2,M,2048", "1,GiB,1048576", "1,TiB,1073741824",
        "1000000,KB,976563", "1048576,b,1024"})
    void memoryUnitsScaleToKiB(String value, String unit, long kib) {
        DomainDef def = DomainXml.parse(domain("x", "<memory unit='" + unit + "'>" + value + "</memory>"));
        assertEquals(kib, def.memoryKiB());
        assertEquals(kib, def.currentMemoryKiB());
    }

    @Test
    void memoryOverflowIsANumericalOverflow() {
        VirtException e = rejected(domain("x", "<memory unit='TiB'>99999999999</memory>"));
        assertEquals(ErrorCode.OVERFLOW, e.code());
    }

    @Test
    void unknownMemoryUnitIsAnInvalidArgument() {
        VirtException e = rejected(domain("x", "<memory unit='parsecs'>1</memory>"));
        assertEquals(ErrorCode.INVALID_ARG, e.code());
        assertEquals("invalid argument: unknown suffix 'parsecs'", e.getMessage());
    }

    @Test
    void fiveMebibyteDocumentParsesUnderTheTenMebibyteLimit() {
        String description = "x".repeat(5 * 1024 * 1024);
        DomainDef def = DomainXml.parse(domain("big", "<description>" + description + "</description>"));
        assertEquals("big", def.name());
    }

    @Test
    void documentAboveTheLimitIsRejected() {
        String description = "x".repeat(11 * 1024 * 1024);
        assertEquals(ErrorCode.XML_DETAIL, rejected(domain("big", "<description>" + description + "</description>"))
            .code());
    }

    @Test
    void entityExpansionAttackIsRejectedBeforeExpansion() {
        String laughs = "<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol 'lol'>"
            + "<!ENTITY lol2 '&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;'>"
            + "<!ENTITY lol3 '&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;'>]>"
            + "<domain type='kvm'><name>&lol3;</name></domain>";
        assertEquals(ErrorCode.XML_DETAIL, rejected(laughs).code());
    }

    @Test
    void externalEntityIsNeverRead() {
        String xxe = "<?xml version='1.0'?><!DOCTYPE d [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
            + "<domain type='kvm'><name>&x;</name></domain>";
        assertEquals(ErrorCode.XML_DETAIL, rejected(xxe).code());
    }

    @Test
    void liveFormatCarriesTheIdUnlessInactive() {
        DomainDef def = DomainXml.parse(domain("x", "<memory>1024</memory>"));
        assertTrue(DomainXml.format(def, 7, 0).startsWith("<domain type='kvm' id='7'>"));
        assertTrue(DomainXml.format(def, 7, DomainXml.INACTIVE).startsWith("<domain type='kvm'>"));
    }

    @Test
    void passwordsAreWrittenOnlyWithTheSecureFlag() {
        DomainDef def = DomainXml.parse(domain("x", "<devices><graphics type='vnc' passwd='s3cret'/></devices>"));
        assertTrue(DomainXml.format(def, -1, DomainXml.SECURE).contains("passwd='s3cret'"));
        assertTrue(!DomainXml.format(def, -1, 0).contains("s3cret"));
    }
}
