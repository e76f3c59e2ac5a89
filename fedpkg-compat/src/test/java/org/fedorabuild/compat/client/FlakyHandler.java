package org.fedorabuild.compat.client;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Every HTTP request's headers; the first {@link #failNext} requests are answered 503. */
final class FlakyHandler extends Handler.Wrapper {
    final AtomicInteger failNext = new AtomicInteger();
    final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();

    FlakyHandler(Handler next) {
        super(next);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        requests.add(Map.of("callnum", String.valueOf(request.getHeaders().get("Koji-Session-Callnum")),
                "agent", String.valueOf(request.getHeaders().get("User-Agent")),
                "type", String.valueOf(request.getHeaders().get("Content-Type")),
                "path", Request.getPathInContext(request)));
        if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            Response.writeError(request, response, callback, 503);
            return true;
        }
        return super.handle(request, response, callback);
    }
}
