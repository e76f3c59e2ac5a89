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
        rh.setBaseResource(ResourceFactory.root().newClassLoaderResource(classpathDir));
        rh.setDirAllowed(false);
        rh.setCacheControl("public, max-age=3600");
        ContextHandler ctx = new ContextHandler(rh, path);
        ctx.setAllowNullPathInContext(false);
        return ctx;
    }
}
