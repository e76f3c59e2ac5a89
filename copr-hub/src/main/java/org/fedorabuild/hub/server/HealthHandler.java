package org.fedorabuild.hub.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.fedorabuild.hub.db.Db;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /health}: 200 when the database answers, 503 otherwise; for load balancers and systemd checks.
 *
 * <p>It answers within {@link #ANSWER_WITHIN} whatever the database does: the probe runs on a thread of its own, at
 * most one at a time, and a probe still waiting (for a pool connection, a hung server) counts as unreachable. A
 * stopped database would otherwise hold every health request for the pool's connection timeout.
 */
final class HealthHandler extends Handler.Abstract {
    static final Duration ANSWER_WITHIN = Duration.ofMillis(1500);
    private static final Logger LOG = LoggerFactory.getLogger(HealthHandler.class);

    private final Db db;
    private final ExecutorService probes = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "health-probe");
        t.setDaemon(true);
        return t;
    });
    private Future<Boolean> inFlight;
    private volatile Boolean lastAnswer;

    HealthHandler(Db db) {
        this.db = db;
    }

    private synchronized Future<Boolean> probe() {
        if (inFlight == null || inFlight.isDone()) {
            inFlight = probes.submit(() -> db.scalar("SELECT 1").isPresent());
        }
        return inFlight;
    }

    private boolean databaseAnswers() {
        boolean ok;
        try {
            ok = probe().get(ANSWER_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            ok = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ok = false;
        }
        if (lastAnswer == null || lastAnswer != ok) {
            LOG.info("Health - database {}", ok ? "answers" : "does not answer within " + ANSWER_WITHIN.toMillis() + " ms");
            lastAnswer = ok;
        }
        return ok;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!"/health".equals(Request.getPathInContext(request))) {
            return false;
        }
        boolean ok = databaseAnswers();
        byte[] body = (ok ? "{\"status\": \"ok\", \"database\": \"ok\"}\n" : "{\"status\": \"error\", \"database\": \"unreachable\"}\n")
                .getBytes(StandardCharsets.UTF_8);
        response.setStatus(ok ? HttpStatus.OK_200 : HttpStatus.SERVICE_UNAVAILABLE_503);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }
}
