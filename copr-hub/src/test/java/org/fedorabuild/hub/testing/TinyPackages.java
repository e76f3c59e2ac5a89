package org.fedorabuild.hub.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Real, tiny noarch packages for build tests, made with Debian's rpmbuild. */
public final class TinyPackages {
    private TinyPackages() {
    }

    /** A spec whose %build sleeps {@code buildSeconds} (for cancel and kill tests) and may BuildRequire others. */
    public static String spec(String name, String version, int buildSeconds, List<String> buildRequires, List<String> provides) {
        StringBuilder s = new StringBuilder();
        s.append("Name: ").append(name).append("\nVersion: ").append(version).append("\nRelease: 1%{?dist}\n")
         .append("Summary: tiny test package ").append(name).append("\nLicense: MIT\nBuildArch: noarch\n");
        buildRequires.forEach(r -> s.append("BuildRequires: ").append(r).append('\n'));
        provides.forEach(p -> s.append("Provides: ").append(p).append('\n'));
        s.append("\n%description\nA tiny package for copr-hub tests.\n\n%build\n");
        if (buildSeconds > 0) {
            s.append("sleep ").append(buildSeconds).append('\n');
        }
        s.append("\n%install\nmkdir -p %{buildroot}/usr/share/").append(name).append('\n')
         .append("echo ").append(name).append(" > %{buildroot}/usr/share/").append(name).append("/hello.txt\n\n")
         .append("%files\n/usr/share/").append(name).append("/hello.txt\n");
        return s.toString();
    }

    /** Runs git in {@code dir} (fixed identity and branch); returns its trimmed output. */
    public static String git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("git", "-c", "user.name=t", "-c", "user.email=t@t", "-c",
                "init.defaultBranch=main"));
        cmd.addAll(List.of(args));
        return org.fedorabuild.process.Command.of(cmd).directory(dir).timeout(java.time.Duration.ofSeconds(30))
                .runChecked("git " + String.join(" ", args)).output().trim();
    }

    /** A dnf repository at {@code repo} of the binary packages of {@code srpms}, made with rpmbuild and createrepo_c. */
    public static Path binaryRepo(Path workDir, Path repo, Path... srpms) throws IOException, InterruptedException {
        Files.createDirectories(repo);
        for (Path srpm : srpms) {
            org.fedorabuild.process.Command.of("rpmbuild", "--rebuild", "--define", "_topdir " + workDir.resolve("rpmbuild-rebuild"),
                    "--define", "dist .fc40", "--define", "_rpmdir " + repo, "--define",
                    "_build_name_fmt %{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}.rpm", srpm.toString())
                    .timeout(java.time.Duration.ofSeconds(120)).runChecked("rpmbuild --rebuild " + srpm.getFileName());
        }
        org.fedorabuild.process.Command.of("createrepo_c", "-q", repo.toString()).timeout(java.time.Duration.ofSeconds(120))
                .runChecked("createrepo_c " + repo);
        return repo;
    }

    public static Path srpm(Path workDir, String name, String version, int buildSeconds) throws IOException, InterruptedException {
        return srpm(workDir, name, spec(name, version, buildSeconds, List.of(), List.of()));
    }

    public static Path srpm(Path workDir, String name, String specText) throws IOException, InterruptedException {
        Path top = workDir.resolve("rpmbuild-" + name);
        Files.createDirectories(top.resolve("SPECS"));
        Path spec = top.resolve("SPECS").resolve(name + ".spec");
        Files.writeString(spec, specText);
        org.fedorabuild.process.Command.of("rpmbuild", "-bs", "--define", "_topdir " + top, spec.toString())
                .timeout(java.time.Duration.ofSeconds(60)).runChecked("rpmbuild -bs");
        try (Stream<Path> s = Files.list(top.resolve("SRPMS"))) {
            return s.filter(f -> f.toString().endsWith(".src.rpm")).findFirst().orElseThrow();
        }
    }
}
