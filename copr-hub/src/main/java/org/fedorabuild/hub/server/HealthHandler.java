package org.fedorabuild.hub.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.fedorabuild.hub.db.Db;

/** {@code GET /health}: 200 when the database answers, 503 otherwise; for load balancers and systemd checks. */
final class HealthHandler extends Handler.Abstract {
    private final Db db;

    HealthHandler(Db db) {
        this.db = db;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!"/health".equals(Request.getPathInContext(request))) {
            return false;
        }
        boolean ok;
        try {
            ok = db.scalar("SELECT 1").isPresent();
        } catch (RuntimeException e) {
            ok = false;
        }
        byte[] body = (ok ? "{\"status\": \"ok\", \"database\": \"ok\"}\n" : "{\"status\": \"error\", \"database\": \"unreachable\"}\n")
                .getBytes(StandardCharsets.UTF_8);
        response.setStatus(ok ? HttpStatus.OK_200 : HttpStatus.SERVICE_UNAVAILABLE_503);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }
}
