package org.fedorabuild.hub.retention;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The hub's Prometheus metrics at {@code /metrics} (base units, counters end in {@code _total}); names are
 * documented in the README. Disk usage is measured when scraped, at most once a minute.
 */
public final class HubMetrics extends Handler.Abstract {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter pruned = Counter.builder().name("copr_hub_pruned_builds_total")
            .help("builds (kind build) and failed or scratch build task outputs (kind failed, scratch) pruned")
            .labelNames("kind").register(registry);
    private final Counter prunedBytes = Counter.builder().name("copr_hub_pruned_bytes_total")
            .help("bytes of the files prunes removed").register(registry);
    private final Counter prunes = Counter.builder().name("copr_hub_prunes_total")
            .help("prune runs in this hub process, by outcome").labelNames("outcome").register(registry);
    private final Counter retired = Counter.builder().name("copr_hub_retired_builders_total")
            .help("idle scale-up builders disabled and handed to the decommission hook").register(registry);

    public HubMetrics(DiskUsage usage) {
        GaugeWithCallback.builder().name("copr_hub_project_disk_bytes")
                .help("bytes of a project's results and repositories under the storage root").labelNames("project")
                .callback(cb -> usage.projects(60_000).forEach((p, bytes) -> cb.call(bytes, p))).register(registry);
        for (String k : new String[] {"build", "failed", "scratch"}) {
            pruned.initLabelValues(k);
        }
        prunes.initLabelValues("ok");
        prunes.initLabelValues("failed");
    }

    public void pruned(Pruner.Report report) {
        report.items().forEach(i -> pruned.labelValues(i.kind()).inc());
        prunedBytes.inc(report.bytes());
        prunes.labelValues("ok").inc();
    }

    public void pruneFailed() {
        prunes.labelValues("failed").inc();
    }

    /** Where other capabilities (builder pools) register their metrics, served on the same {@code /metrics}. */
    public PrometheusRegistry registry() {
        return registry;
    }

    public void retired(int n) {
        retired.inc(n);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!"/metrics".equals(Request.getPathInContext(request))) {
            return false;
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, PrometheusTextFormatWriter.CONTENT_TYPE);
        response.write(true, ByteBuffer.wrap(text().getBytes(java.nio.charset.StandardCharsets.UTF_8)), callback);
        return true;
    }

    /** The Prometheus text exposition of every metric. */
    public String text() throws java.io.IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
}
