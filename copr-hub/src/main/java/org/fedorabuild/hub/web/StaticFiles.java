package org.fedorabuild.hub.web;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.resource.ResourceFactory;

/**
 * Files the pages load, from the classpath: {@code /webjars/…} (htmx from its WebJar, so no Node build) and
 * {@code /static/…} (our stylesheet). No directory listings; Jetty refuses {@code ..} in any spelling.
 */
final class StaticFiles {
    private StaticFiles() {
    }

    static Handler webjars() {
        return context("/webjars", "META-INF/resources/webjars");
    }

    static Handler ours() {
        return context("/static", "web/static");
    }

    private static Handler context(String path, String classpathDir) {
        ResourceHandler rh = new ResourceHandler();
        ContextHandler ctx = new ContextHandler(rh, path);
        // mounted for the context's lifetime: ResourceFactory.root() would leave the jar mounts unowned, which
        // Jetty reports as "Leaked" warnings at every start
        rh.setBaseResource(ResourceFactory.of(ctx).newClassLoaderResource(classpathDir));
        rh.setDirAllowed(false);
        rh.setCacheControl("public, max-age=3600");
        ctx.setAllowNullPathInContext(false);
        return ctx;
    }
}
