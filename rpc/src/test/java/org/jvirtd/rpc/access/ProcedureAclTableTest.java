package org.jvirtd.rpc.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jvirtd.rpc.dispatch.RemoteProcedure;
import org.jvirtd.rpc.testing.SharedFacts;
import org.junit.jupiter.api.Test;

/** Holds procedure-acl.tsv against the @acl and @aclfilter facts of remote-procedures.tsv (libvirt 9.0.0). */
class ProcedureAclTableTest {
    @Test
    void everyCallWithAnAclHasItsPermissionsAndFilter() throws Exception {
        Map<String, String[]> table = new HashMap<>();
        try (InputStream in = ProcedureAcl.class.getResourceAsStream("procedure-acl.tsv")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    table.put(line.split("\t")[0], line.split("\t"));
                }
            }
        }
        List<String> lines = Files.readAllLines(SharedFacts.protocolDir().resolve("remote-procedures.tsv"));
        List<String> header = List.of(lines.get(0).split("\t"));
        int checked = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] row = line.split("\t");
            if (!row[header.indexOf("program")].equals("REMOTE") || !row[header.indexOf("kind")].equals("call")) {
                continue;
            }
            String name = row[header.indexOf("const")].substring("REMOTE_PROC_".length());
            ProcedureAcl rule = ProcedureAcl.of(RemoteProcedure.valueOf(name));
            String acl = row[header.indexOf("acl")];
            if (acl.equals("none") || acl.equals("-")) {
                assertNull(rule, name + " needs no permission");
                continue;
            }
            assertNotNull(rule, name + " has @acl " + acl);
            String[] ours = table.get(name);
            assertEquals(acl, ours[2].replace(":source=", "::source:").replace(',', ';'), name);
            assertEquals(row[header.indexOf("aclfilter")], ours[3].split(" ")[0], name);
            assertEquals(acl.split(";").length, rule.checks().size(), name);
            checked++;
        }
        assertEquals(checked, ProcedureAcl.all().size(), "no rows for procedures without @acl");
        assertTrue(checked > 380, "only " + checked + " procedures checked");
    }

    @Test
    void flagConditionsFollowTheCallsFlags() {
        AclCheck live = AclCheck.parse("domain:save:!VIR_DOMAIN_AFFECT_CONFIG|VIR_DOMAIN_AFFECT_LIVE");
        AclCheck config = AclCheck.parse("domain:save:VIR_DOMAIN_AFFECT_CONFIG");
        assertTrue(live.applies(0, -1) && !live.applies(1, -1) && !live.applies(2, -1));
        assertTrue(config.applies(2, -1) && config.applies(3, -1) && !config.applies(1, -1));
        AclCheck agent = AclCheck.parse("domain:write:source=VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT");
        assertTrue(agent.applies(0, 1) && !agent.applies(0, 0));
    }

    @Test
    void actionIdsAreLibvirtsWithDashes() {
        assertEquals("org.libvirt.api.storage-pool.search-storage-vols",
            Permission.parse("storage_pool:search_storage_vols").actionId());
        assertEquals("org.libvirt.api.domain.start", Permission.parse("domain:start").actionId());
    }
}
