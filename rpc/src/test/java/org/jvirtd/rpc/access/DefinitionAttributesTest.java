package org.jvirtd.rpc.access;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The attributes libvirt checks a new object's definition by, read before the call changes anything. */
class DefinitionAttributesTest {
    @Test
    void domainDefinitionGivesNameAndUuid() {
        assertEquals(Map.of("domain_name", "web", "domain_uuid", "1b4e28ba-2fa1-11d2-883f-0016d3cca427"),
            DefinitionAttributes.of(ObjectKind.DOMAIN, "<domain type='kvm'><name> web </name><devices><disk>"
                + "<name>not-this</name></disk></devices><uuid>1b4e28ba-2fa1-11d2-883f-0016d3cca427</uuid></domain>"));
    }

    @Test
    void aDefinitionWithoutUuidHasNoneYet() {
        assertEquals(Map.of("network_name", "lan"),
            DefinitionAttributes.of(ObjectKind.NETWORK, "<network><name>lan</name></network>"));
    }

    @Test
    void interfaceAndSecretAttributesComeFromTheirOwnElements() {
        assertEquals(Map.of("interface_name", "eth1", "interface_macaddr", "52:54:00:aa:bb:cc"),
            DefinitionAttributes.of(ObjectKind.INTERFACE,
                "<interface type='ethernet' name='eth1'><mac address='52:54:00:aa:bb:cc'/></interface>"));
        assertEquals(Map.of("secret_uuid", "0a81f5b2-8403-7b23-c8d6-21ccc2f80d6f", "secret_usage_volume", "/v.img"),
            DefinitionAttributes.of(ObjectKind.SECRET, "<secret ephemeral='no'>"
                + "<uuid>0a81f5b2-8403-7b23-c8d6-21ccc2f80d6f</uuid><usage type='volume'><volume>/v.img</volume>"
                + "</usage></secret>"));
    }

    @Test
    void somethingThatIsNotXmlHasNoAttributes() {
        assertEquals(Map.of(), DefinitionAttributes.of(ObjectKind.DOMAIN, "<domain><name>x</nam"));
        assertEquals(Map.of(), DefinitionAttributes.of(ObjectKind.DOMAIN,
            "<!DOCTYPE d [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><domain><name>&e;</name></domain>"));
    }
}
