package org.fedorabuild.hub.task;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where a task's output files live, as Koji lays them out: {@code <data>/work/tasks/<id % 10000>/<id>/}.
 * The koji CLI's download-task fetches {@code <topurl>/work/tasks/<id % 10000>/<id>/<file>}; the hub serves
 * that tree read-only under {@code /kojifiles/work/tasks/}.
 */
public final class TaskOutputs {
    private final Path workDir;

    public TaskOutputs(Path workDir) {
        this.workDir = workDir.toAbsolutePath().normalize();
    }

    public Path workDir() {
        return workDir;
    }

    /** Work-relative directory of a task's outputs, e.g. {@code tasks/7/7}. */
    public static String relativeDir(int taskId) {
        return "tasks/" + (taskId % 10000) + "/" + taskId;
    }

    public Path dir(int taskId) {
        return workDir.resolve(relativeDir(taskId));
    }

    /** A work-relative path ({@code tasks/…}) as a file, refusing anything outside the work area. */
    public Path resolve(String relative) {
        Path p = workDir.resolve(relative).normalize();
        if (!p.startsWith(workDir) || relative.startsWith("/")) {
            throw new IllegalArgumentException("path outside the work area: " + relative);
        }
        return p;
    }

    /** The plain files a task output, sorted; hidden files are internal. */
    public List<Path> files(int taskId) throws IOException {
        Path dir = dir(taskId);
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().forEach(out::add);
        }
        return out;
    }

    /** Empties a task's output directory for a new attempt. */
    public Path fresh(int taskId) throws IOException {
        Path dir = dir(taskId);
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) s.sorted(java.util.Comparator.reverseOrder())::iterator) {
                    if (!p.equals(dir)) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
        Files.createDirectories(dir);
        return dir;
    }
}
