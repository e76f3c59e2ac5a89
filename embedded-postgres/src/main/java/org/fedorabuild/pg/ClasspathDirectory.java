package org.fedorabuild.pg;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Lists the files directly inside a classpath directory, wherever it lives: a {@code file:}
 * directory (IDE, Maven test runs) or a jar, including a shaded one.
 *
 * <p>ClassLoader has no "list directory" call, so the directory's own URL is asked for and then
 * read as a directory or as jar entries. A jar built without directory entries yields no URL for
 * the directory; then the classpath elements themselves are searched: the URLs of URLClassLoaders
 * in the loader chain, and {@code java.class.path} (the application loader is no URLClassLoader).
 */
final class ClasspathDirectory {
    /** One file found: its name, where it was found (for messages) and its bytes. */
    record Entry(String name, String location, byte[] content) {}

    private ClasspathDirectory() {}

    /** Files of {@code directory} (e.g. "sql/copr-hub"), by name; the same name twice must be identical. */
    static Map<String, Entry> list(ClassLoader loader, String directory) {
        String dir = directory.replaceAll("^/+|/+$", "");
        Map<String, Entry> found = new TreeMap<>();
        try {
            Set<URL> urls = new LinkedHashSet<>(Collections.list(loader.getResources(dir)));
            if (urls.isEmpty()) {
                for (Path element : classpathElements(loader)) {
                    readElement(element, dir, found);
                }
            }
            for (URL url : urls) {
                read(url, dir, found);
            }
        } catch (IOException e) {
            throw new MigrationException("cannot list classpath directory " + dir + ": " + e, e);
        }
        return found;
    }

    private static void read(URL url, String dir, Map<String, Entry> found) throws IOException {
        switch (url.getProtocol()) {
            case "file":
                try {
                    readDirectory(Path.of(url.toURI()), url.toString(), found);
                } catch (URISyntaxException e) {
                    throw new IOException("bad classpath URL " + url, e);
                }
                break;
            case "jar":
                JarURLConnection conn = (JarURLConnection) url.openConnection();
                conn.setUseCaches(false); // do not share (and later close) a JarFile cached by the JDK
                try {
                    readJar(Path.of(conn.getJarFileURL().toURI()), dir, found);
                } catch (URISyntaxException | IllegalArgumentException e) {
                    throw new IOException("jar " + conn.getJarFileURL() + " is not a local file", e);
                }
                break;
            default:
                throw new MigrationException("classpath directory " + dir + " is at " + url
                        + ", which cannot be listed; expected a file: directory or a jar: entry");
        }
    }

    private static void readElement(Path element, String dir, Map<String, Entry> found) throws IOException {
        if (Files.isDirectory(element)) {
            Path d = element.resolve(dir);
            if (Files.isDirectory(d)) {
                readDirectory(d, d.toUri().toString(), found);
            }
        } else if (Files.isRegularFile(element) && element.toString().endsWith(".jar")) {
            readJar(element, dir, found);
        }
    }

    private static void readDirectory(Path d, String location, Map<String, Entry> found) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(d)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path f : files) {
            add(found, new Entry(f.getFileName().toString(), location, Files.readAllBytes(f)));
        }
    }

    private static void readJar(Path jar, String dir, Map<String, Entry> found) throws IOException {
        String prefix = dir + "/";
        try (JarFile jf = new JarFile(jar.toFile())) {
            for (Enumeration<JarEntry> en = jf.entries(); en.hasMoreElements(); ) {
                JarEntry e = en.nextElement();
                String rest = e.getName().startsWith(prefix) ? e.getName().substring(prefix.length()) : null;
                if (rest == null || rest.isEmpty() || rest.contains("/") || e.isDirectory()) {
                    continue; // outside the directory, the directory itself, or in a subdirectory
                }
                try (InputStream in = jf.getInputStream(e)) {
                    add(found, new Entry(rest, "jar:" + jar.toUri() + "!/" + e.getName(), in.readAllBytes()));
                }
            }
        }
    }

    private static void add(Map<String, Entry> found, Entry e) {
        Entry old = found.putIfAbsent(e.name(), e);
        if (old != null && !Arrays.equals(old.content(), e.content())) {
            throw new MigrationException("two different files named " + e.name() + " on the classpath: "
                    + old.location() + " and " + e.location() + "; expected one, or identical copies");
        }
    }

    private static Set<Path> classpathElements(ClassLoader loader) {
        Set<Path> out = new LinkedHashSet<>();
        for (ClassLoader cl = loader; cl != null; cl = cl.getParent()) {
            if (cl instanceof URLClassLoader) {
                for (URL u : ((URLClassLoader) cl).getURLs()) {
                    if ("file".equals(u.getProtocol())) {
                        try {
                            out.add(Path.of(u.toURI()));
                        } catch (URISyntaxException | IllegalArgumentException e) {
                            // Not a local path: nothing we could list anyway.
                        }
                    }
                }
            }
        }
        for (String s : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!s.isBlank()) {
                out.add(Path.of(s));
            }
        }
        return out;
    }
}
