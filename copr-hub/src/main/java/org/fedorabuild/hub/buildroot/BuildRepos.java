package org.fedorabuild.hub.buildroot;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.fedorabuild.hub.chain.Capability;
import org.fedorabuild.hub.chain.Evr;

/**
 * Build repositories for the rpmbuild backend, which has no dnf: the hub reads each repository's metadata
 * (repomd.xml, then its gzip primary) over HTTP as dnf does, picks for each BuildRequires the newest package of
 * the first repository that provides it, and downloads it; the builder then installs those into the build's
 * own rpm database. This is the fetching outside the build's sandbox; a repository that cannot be read is
 * reported in the build log and skipped, and a requirement nobody provides fails the build naming it.
 */
public final class BuildRepos {
    /** A package a repository offers. */
    public record Offer(String repoUrl, String name, Evr evr, String arch, String href, List<Capability> provides,
            List<Capability> requires) {
        String file() {
            return href.substring(href.lastIndexOf('/') + 1);
        }
    }

    private static final long MAX_METADATA = 256L << 20;
    /** A bound on what one build pulls in: repository metadata comes from strangers. */
    static final int MAX_PACKAGES = 500;
    private final RepoFiles http;

    /**
     * @param fetcher the hub's checked HTTP client for URLs strangers give
     * @param publicUrl the hub's public URL: its own results under it are read from {@code storageRoot}
     */
    public BuildRepos(org.fedorabuild.hub.source.SourceFetcher fetcher, String publicUrl, Path storageRoot) {
        this.http = new RepoFiles(fetcher, publicUrl, storageRoot);
    }

    /**
     * Downloads into {@code into} what the repositories offer for {@code requires}; returns
     * {@code name-epoch:version-release.arch} → repository URL of what was fetched. Problems go to {@code log}.
     *
     * @param maxBytes what all the packages together may take (the build's disk limit: they must fit in it
     *     anyway); more fails the build naming the limit
     */
    public Map<String, String> fetch(List<String> repoUrls, List<Capability> requires, Path into, java.io.PrintStream log,
            long maxBytes) throws IOException {
        long left = maxBytes;
        Map<String, String> fetched = new LinkedHashMap<>();
        List<Offer> offers = new ArrayList<>();
        for (String url : repoUrls) {
            try {
                offers.addAll(offers(url));
            } catch (IOException | XMLStreamException | RuntimeException e) {
                log.println("copr-hub: build repository " + url + " cannot be read (" + e.getMessage() + "); skipped");
            }
        }
        Files.createDirectories(into);
        for (Offer best : resolve(offers, requires, log)) {
            String base = best.repoUrl().endsWith("/") ? best.repoUrl() : best.repoUrl() + "/";
            if (left <= 0) {
                throw new IOException("the packages from build repositories exceed the build's disk limit ("
                        + (maxBytes >> 20) + " MiB)");
            }
            try {
                left -= http.get(base + best.href(), into.resolve(best.file()), left);
            } catch (IOException e) {
                throw new IOException("cannot fetch " + best.file() + " from build repository " + best.repoUrl() + " ("
                        + (left >> 20) + " MiB of the build's disk limit of " + (maxBytes >> 20) + " MiB left): "
                        + e.getMessage(), e);
            }
            fetched.put(best.name() + "-" + best.evr().epoch() + ":" + best.evr().version() + "-" + best.evr().release() + "."
                    + best.arch(), best.repoUrl());
        }
        return fetched;
    }

    /**
     * What to install for {@code requires}, with what those packages require in turn, as far as the build
     * repositories provide it: for each requirement not yet met, the newest package of the first repository that
     * provides it. What no build repository provides is left to the base system (or to the build's own check,
     * which fails naming it).
     */
    static List<Offer> resolve(List<Offer> offers, List<Capability> requires, java.io.PrintStream log) {
        List<Offer> chosen = new ArrayList<>();
        java.util.Deque<Capability> todo = new java.util.ArrayDeque<>(requires);
        java.util.Map<Capability, String> why = new java.util.HashMap<>();
        while (!todo.isEmpty()) {
            Capability req = todo.poll();
            if (req.name().startsWith("rpmlib(") || req.name().startsWith("(")
                    || chosen.stream().anyMatch(o -> o.provides().stream().anyMatch(p -> p.satisfies(req)))) {
                continue;
            }
            Offer best = null;
            for (Offer o : offers) {
                if (o.provides().stream().anyMatch(p -> p.satisfies(req))
                        && (best == null || best.repoUrl().equals(o.repoUrl()) && o.evr().compareTo(best.evr()) > 0)) {
                    best = o;
                }
            }
            if (best == null) {
                continue;
            }
            if (chosen.size() == MAX_PACKAGES) {
                log.println("copr-hub: more than " + MAX_PACKAGES + " packages from build repositories; " + req + " and what"
                        + " remains are left to the base system");
                break;
            }
            chosen.add(best);
            log.println("copr-hub: " + req + (why.containsKey(req) ? " (required by " + why.get(req) + ")" : "")
                    + " from build repository " + best.repoUrl() + ": " + best.file());
            for (Capability r : best.requires()) {
                why.putIfAbsent(r, best.name());
                todo.add(r);
            }
        }
        return chosen;
    }

    List<Offer> offers(String repoUrl) throws IOException, XMLStreamException {
        String base = repoUrl.endsWith("/") ? repoUrl : repoUrl + "/";
        String primary = null;
        XMLStreamReader x = xml(new ByteArrayInputStream(http.bytes(base + "repodata/repomd.xml", MAX_METADATA)));
        String type = null;
        while (x.hasNext()) {
            if (x.next() == XMLStreamConstants.START_ELEMENT) {
                if (x.getLocalName().equals("data")) {
                    type = x.getAttributeValue(null, "type");
                } else if (x.getLocalName().equals("location") && "primary".equals(type)) {
                    primary = x.getAttributeValue(null, "href");
                }
            }
        }
        if (primary == null || !primary.endsWith(".gz")) {
            throw new IOException("repomd.xml names no gzip primary metadata");
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(http.bytes(base + primary, MAX_METADATA)))) {
            return parsePrimary(repoUrl, xml(new ByteArrayInputStream(in.readNBytes((int) MAX_METADATA))));
        }
    }

    /** The packages of a primary.xml: name, EVR, arch, location and provides (the package's own name included). */
    static List<Offer> parsePrimary(String repoUrl, XMLStreamReader x) throws XMLStreamException {
        List<Offer> out = new ArrayList<>();
        String name = null;
        String arch = null;
        String href = null;
        Evr evr = null;
        List<Capability> provides = new ArrayList<>();
        List<Capability> requires = new ArrayList<>();
        List<Capability> into = null;
        while (x.hasNext()) {
            int ev = x.next();
            if (ev == XMLStreamConstants.START_ELEMENT) {
                switch (x.getLocalName()) {
                    case "package" -> {
                        name = null;
                        arch = null;
                        href = null;
                        evr = null;
                        provides = new ArrayList<>();
                        requires = new ArrayList<>();
                    }
                    case "name" -> name = name == null ? x.getElementText().strip() : name;
                    case "arch" -> arch = x.getElementText().strip();
                    case "version" -> evr = new Evr(Long.parseLong(attr(x, "epoch", "0")), attr(x, "ver", ""), attr(x, "rel", ""));
                    case "location" -> href = x.getAttributeValue(null, "href");
                    case "provides" -> into = provides;
                    case "requires" -> into = requires;
                    // primary lists the files most often required by path (bin directories, /etc)
                    case "file" -> provides.add(Capability.unversioned(x.getElementText().strip()));
                    case "entry" -> {
                        // no rel attribute: the dependency names no release, which matches every release
                        if (into != null) {
                            String flags = x.getAttributeValue(null, "flags");
                            String ver = x.getAttributeValue(null, "ver");
                            into.add(flags == null || ver == null ? Capability.unversioned(x.getAttributeValue(null, "name"))
                                    : new Capability(x.getAttributeValue(null, "name"), flags(flags),
                                            new Evr(Long.parseLong(attr(x, "epoch", "0")), ver, x.getAttributeValue(null, "rel"))));
                        }
                    }
                    default -> {
                    }
                }
            } else if (ev == XMLStreamConstants.END_ELEMENT) {
                if (x.getLocalName().equals("provides") || x.getLocalName().equals("requires")) {
                    into = null;
                } else if (x.getLocalName().equals("package") && name != null && evr != null && href != null
                        && !"src".equals(arch) && !href.contains("..") && !href.startsWith("/") && !href.contains(":")) {
                    provides.add(new Capability(name, Capability.EQUAL, evr));
                    out.add(new Offer(repoUrl, name, evr, arch, href, List.copyOf(provides), List.copyOf(requires)));
                }
            }
        }
        return out;
    }

    private static String attr(XMLStreamReader x, String name, String dflt) {
        String v = x.getAttributeValue(null, name);
        return v == null ? dflt : v;
    }

    static int flags(String f) {
        return switch (f) {
            case "EQ" -> Capability.EQUAL;
            case "LT" -> Capability.LESS;
            case "GT" -> Capability.GREATER;
            case "LE" -> Capability.LESS | Capability.EQUAL;
            case "GE" -> Capability.GREATER | Capability.EQUAL;
            default -> 0;
        };
    }

    /** The BuildRequires of an SRPM, read from its header in the hub's header sandbox. */
    public static List<Capability> buildRequires(Path srpm) throws IOException {
        String out = org.fedorabuild.process.Command.of(org.fedorabuild.hub.sandbox.HeaderSandbox.wrap(srpm, List.of("rpm", "-qp",
                "--nosignature", "--nodigest", "--qf", "[%{REQUIRENAME}|%{REQUIREFLAGS}|%{REQUIREVERSION}\\n]",
                org.fedorabuild.hub.sandbox.HeaderSandbox.inside(srpm))).toArray(new String[0]))
                .timeout(Duration.ofSeconds(60)).runChecked("reading the BuildRequires of " + srpm.getFileName()).stdout();
        List<Capability> reqs = new ArrayList<>();
        for (String line : out.split("\n")) {
            String[] f = line.split("\\|", -1);
            if (f.length == 3 && !f[0].isBlank()) {
                reqs.add(Capability.of(f[0], Integer.parseInt(f[1].isEmpty() ? "0" : f[1]), f[2]));
            }
        }
        return reqs;
    }

    /** StAX without DTDs or external entities: repository metadata comes from strangers. */
    static XMLStreamReader xml(InputStream in) throws XMLStreamException {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        return f.createXMLStreamReader(in);
    }
}
