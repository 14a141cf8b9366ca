package org.jvirtd.driver.xen.internal.conformance;

import org.jvirtd.api.VirtException;
import org.jvirtd.driver.xen.internal.libxl.LibxlDomainConfig;
import org.jvirtd.model.conformance.ConformanceCase;
import org.jvirtd.model.json.Json;

/**
 * The libxlxml2domconfig suite: domain XML to libxl's domain configuration, compared as JSON by rule J, in the
 * corpus's mocked environment (shadow memory always 1234 KiB). The libxl modelled is current Xen's: a case only
 * for a libxl without a build feature ({@code onlyIf: "!FEATURE"}) does not apply and is reported as such.
 */
final class LibxlDomainConfigSuite {
    /** The shadow memory the corpus's mocked libxl reports for every guest. */
    static final long MOCKED_SHADOW_MEMKB = 1234;

    private LibxlDomainConfigSuite() {
    }

    static String run(ConformanceCase c) throws Exception {
        Object onlyIf = c.field("onlyIf");
        if (onlyIf instanceof String feature && feature.startsWith("!")) {
            return "not applicable: for a libxl without " + feature.substring(1) + ", and the libxl modelled has it";
        }
        Object actual;
        try {
            actual = LibxlDomainConfig.build(c.read("input"), (maxKib, vcpus) -> MOCKED_SHADOW_MEMKB);
        } catch (VirtException e) {
            return c.refusedWhileGenerating(e);
        }
        Object expected = Json.read(c.read("expectedJson"));
        // through the JSON text, as libxl's own comparison goes through its generator
        return LibxlJsonComparison.difference(expected, Json.read(Json.write(actual)));
    }
}
