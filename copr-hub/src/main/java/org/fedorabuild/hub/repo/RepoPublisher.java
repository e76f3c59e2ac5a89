package org.fedorabuild.hub.repo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a chroot's dnf repository ({@code repodata/} beside the build directories) in step with its RPMs.
 * Regeneration is incremental ({@code createrepo_c --update}); requests for a chroot that arrive while it
 * regenerates are coalesced into one further run; publication never shows a torn repository: the new
 * checksum-named metadata files are added first, then {@code repomd.xml} is replaced by one atomic rename,
 * and files neither the new nor the previous {@code repomd.xml} names are removed only after that.
 */
public final class RepoPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RepoPublisher.class);
    private static final Pattern HREF = Pattern.compile("href=\"repodata/([^\"]+)\"");

    private final ExecutorService workers;
    private final Duration timeout;
    private final Map<Path, Slot> slots = new HashMap<>();
    private volatile RepoLock lock = RepoLock.NONE;

    /** One chroot's queue: at most one run in progress and one waiting. */
    private static final class Slot {
        boolean running;
        CompletableFuture<Void> next;
    }

    public RepoPublisher(int threads, Duration timeout) {
        this.workers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "repo-publisher");
            t.setDaemon(true);
            return t;
        });
        this.timeout = timeout;
    }

    /**
     * Asks for {@code chrootDir}'s repository to reflect its current RPMs. The future completes after a
     * regeneration that started after this call has been published.
     */
    public CompletableFuture<Void> request(Path chrootDir) {
        Path dir = chrootDir.toAbsolutePath().normalize();
        synchronized (slots) {
            Slot slot = slots.computeIfAbsent(dir, d -> new Slot());
            if (slot.next == null) {
                slot.next = new CompletableFuture<>();
            }
            CompletableFuture<Void> result = slot.next;
            if (!slot.running) {
                startNext(dir, slot);
            }
            return result;
        }
    }

    private void startNext(Path dir, Slot slot) {
        CompletableFuture<Void> done = slot.next;
        slot.next = null;
        slot.running = true;
        workers.execute(() -> {
            try {
                regenerate(dir);
                done.complete(null);
            } catch (Exception e) {
                LOG.warn("[repo={}] regeneration failed: {}", dir, e.getMessage(), e);
                done.completeExceptionally(e);
            } finally {
                synchronized (slots) {
                    slot.running = false;
                    if (slot.next != null) {
                        startNext(dir, slot);
                    } else {
                        slots.remove(dir);
                    }
                }
            }
        });
    }

    /** The cross-process lock every regeneration holds (the hub sets its PostgreSQL advisory lock). */
    public void setLock(RepoLock lock) {
        this.lock = lock;
    }

    /** Regenerates and publishes now, in the calling thread, holding the chroot's {@link RepoLock}. */
    public void regenerate(Path chrootDir) throws IOException, InterruptedException {
        lock.locked(chrootDir, () -> regenerateLocked(chrootDir));
    }

    /** As {@link #regenerate}, for a caller that already holds the chroot's lock. */
    public void regenerateLocked(Path chrootDir) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Files.createDirectories(chrootDir);
        Path repodata = chrootDir.resolve("repodata");
        Path stage = chrootDir.resolveSibling("." + chrootDir.getFileName() + ".stage");
        deleteTree(stage);
        Files.createDirectories(stage);
        try {
            List<String> cmd = new java.util.ArrayList<>(List.of("createrepo_c", "--quiet", "--workers", "2",
                    "--outputdir", stage.toString()));
            if (Files.isRegularFile(repodata.resolve("repomd.xml"))) {
                cmd.addAll(List.of("--update", "--update-md-path", chrootDir.toString()));
            }
            cmd.add(chrootDir.toString());
            // createrepo_c parses every package's header, crafted by strangers: sandboxed like the hub's rpm queries
            run(org.fedorabuild.hub.sandbox.HeaderSandbox.wrapDirs(List.of(chrootDir), List.of(stage), cmd));
            Set<String> previous = referenced(repodata.resolve("repomd.xml"));
            Files.createDirectories(repodata);
            Path staged = stage.resolve("repodata");
            try (Stream<Path> files = Files.list(staged)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    if (!f.getFileName().toString().equals("repomd.xml")) {
                        Files.move(f, repodata.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            Set<String> current = referenced(staged.resolve("repomd.xml"));
            Files.move(staged.resolve("repomd.xml"), repodata.resolve("repomd.xml"), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            removeUnreferenced(repodata, current, previous);
        } finally {
            deleteTree(stage);
        }
        LOG.info("[repo={}] published in {} ms", chrootDir, (System.nanoTime() - start) / 1_000_000);
    }

    /** Old metadata stays while the previous repomd.xml may still be read by a client mid-download. */
    private static void removeUnreferenced(Path repodata, Set<String> current, Set<String> previous) throws IOException {
        try (Stream<Path> files = Files.list(repodata)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (!name.equals("repomd.xml") && !current.contains(name) && !previous.contains(name)) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    private static Set<String> referenced(Path repomd) throws IOException {
        Set<String> names = new HashSet<>();
        if (Files.isRegularFile(repomd)) {
            Matcher m = HREF.matcher(Files.readString(repomd));
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    private void run(List<String> cmd) throws IOException {
        org.fedorabuild.process.Command.of(cmd).timeout(timeout).runChecked("publishing the repository");
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public void close() {
        workers.shutdown();
    }
}
