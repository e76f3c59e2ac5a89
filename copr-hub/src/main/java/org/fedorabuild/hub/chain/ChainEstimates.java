package org.fedorabuild.hub.chain;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fedorabuild.hub.db.Db;

/**
 * What the hub expects of a chain before building it, from its own history: each package's build time is the
 * median wall time (the {@code build} task's start to its last chroot's completion) of its last
 * {@value #HISTORY} successful builds on this hub, in any project (a package's build time varies far less
 * between projects than between packages); the publication lag is the median time from a build's completion
 * to the repository listing it going live, over the hub's last {@value #LAG_SAMPLE} published results. What
 * is unknown stays {@code NaN} and {@link ChainPriority} fills it.
 */
public final class ChainEstimates {
    static final int HISTORY = 5;
    static final int LAG_SAMPLE = 200;

    private ChainEstimates() {
    }

    /** Expected seconds for each name (package names, in chain order); NaN where the hub never built it. */
    public static double[] buildSeconds(Db db, List<String> names) {
        Map<String, Double> known = new HashMap<>();
        String[] distinct = names.stream().distinct().toArray(String[]::new);
        for (var r : db.query("SELECT name, percentile_cont(0.5) WITHIN GROUP (ORDER BY secs) AS secs FROM ("
                + " SELECT pk.name, extract(epoch FROM max(b.completion_time) - min(b.start_time))::float8 AS secs,"
                + " row_number() OVER (PARTITION BY pk.name ORDER BY max(b.completion_time) DESC) AS rn"
                + " FROM builds b JOIN packages pk ON pk.id = b.package_id"
                + " WHERE pk.name = ANY(?) AND b.state = 1 AND b.start_time IS NOT NULL AND b.completion_time IS NOT NULL"
                + " GROUP BY pk.name, COALESCE(b.task_id, -b.id)) recent WHERE rn <= " + HISTORY + " GROUP BY name", (Object) distinct)) {
            known.put((String) r.get("name"), ((Number) r.get("secs")).doubleValue());
        }
        double[] out = new double[names.size()];
        Arrays.fill(out, Double.NaN);
        for (int i = 0; i < out.length; i++) {
            out[i] = known.getOrDefault(names.get(i), Double.NaN);
        }
        return out;
    }

    /** Median seconds from a build's completion to its publication; NaN before the first publication. */
    public static double publicationLag(Db db) {
        return db.scalar("SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY lag) FROM ("
                + " SELECT extract(epoch FROM br.published_time - b.completion_time)::float8 AS lag"
                + " FROM build_results br JOIN builds b ON b.id = br.build_id"
                + " WHERE br.published AND br.published_time IS NOT NULL AND b.completion_time IS NOT NULL"
                + " ORDER BY br.published_time DESC LIMIT " + LAG_SAMPLE + ") recent")
                .map(v -> ((Number) v).doubleValue()).orElse(Double.NaN);
    }
}
