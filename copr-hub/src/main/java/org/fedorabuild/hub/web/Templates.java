package org.fedorabuild.hub.web;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.util.Map;

/**
 * The JTE templates of {@code src/main/jte}, compiled to classes at build time (no compiler at run time).
 * HTML content type: every {@code ${value}} is escaped for where it stands (text, attribute, script).
 */
public final class Templates {
    private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);

    public String render(String name, Map<String, Object> params) {
        StringOutput out = new StringOutput(8192);
        engine.render(name, params, out);
        return out.toString();
    }
}
