package org.fedorabuild.watchdog.scale;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acts on the scale signal with copr-hub's builder command contract, so the pool scripts written for
 * copr-hub's {@code cmd_new} start builders for a real Koji fleet too: when tasks of an arch wait beyond the
 * free capacity of its channel, {@code scale_command} runs (split on spaces, no shell) with {@code POOL}
 * ({@code pool}), {@code NAME} ({@code POOL-ARCH-EPOCHSECONDS}, the Koji host name the new builder should
 * take) and {@code ARCH}; its last output line, {@code USER@HOST[:PORT]}, is logged. The new builder joins
 * the hub itself (kojid logs in); the watchdog never adds hosts. At most one start per arch per
 * {@code scale_cooldown}, as a builder needs time to check in before the signal sees it.
 */
public final class ScaleCommand {
    private static final Logger LOG = LoggerFactory.getLogger(ScaleCommand.class);

    private final String pool;
    private final List<String> argv;
    private final Duration cooldown;
    private final Duration timeout;
    private final Map<String, Instant> last = new ConcurrentHashMap<>();

    public ScaleCommand(String pool, String command, Duration cooldown, Duration timeout) {
        this.pool = pool;
        this.argv = List.of(command.strip().split("\\s+"));
        this.cooldown = cooldown;
        this.timeout = timeout;
    }

    /** Runs the command for each arch short of capacity; returns one line per start (or failure). */
    public List<String> act(List<ScaleSignal.Row> rows, Instant now) {
        Map<String, Integer> short_ = new LinkedHashMap<>();
        for (ScaleSignal.Row r : rows) {
            // noarch tasks fit any builder: they ask for capacity, not for an arch
            if (!r.arch().equals("noarch") && r.queued() > r.freeCapacity()) {
                short_.merge(r.arch(), r.queued(), Integer::sum);
            }
        }
        List<String> out = new ArrayList<>();
        short_.forEach((arch, queued) -> {
            Instant prev = last.get(arch);
            if (prev != null && prev.plus(cooldown).isAfter(now)) {
                return;
            }
            last.put(arch, now);
            String name = pool + "-" + arch + "-" + now.getEpochSecond();
            try {
                String output = org.fedorabuild.process.Command.of(argv).env("POOL", pool).env("NAME", name).env("ARCH", arch)
                        .timeout(timeout).runChecked("scale_command for " + arch).output().strip();
                String[] lines = output.split("\n");
                String address = lines[lines.length - 1].strip();
                LOG.info("[host={}] scale: started for {} waiting {} task(s): {}", name, queued, arch, address);
                out.add("started " + name + " (" + arch + "): " + address);
            } catch (java.io.IOException e) {
                LOG.warn("[host={}] scale: scale_command failed for {} waiting {} task(s): {}", name, queued, arch, e.getMessage());
                out.add("failed " + name + " (" + arch + "): " + e.getMessage());
            }
        });
        return out;
    }
}
