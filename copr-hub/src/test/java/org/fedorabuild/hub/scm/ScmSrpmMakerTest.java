package org.fedorabuild.hub.scm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Set;
import org.fedorabuild.hub.builder.LocalTransport;
import org.fedorabuild.hub.testing.TinyPackages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScmSrpmMakerTest {
    @TempDir
    Path tmp;

    /** A dist-git repository for package hello with one tarball in a file:// lookaside. Returns the commit. */
    String distGit(Path repo, Path lookaside, boolean corruptLookaside) throws Exception {
        Files.createDirectories(repo);
        byte[] tarball = "not really a tarball but rpmbuild -bs does not unpack it".getBytes(StandardCharsets.UTF_8);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(tarball));
        Path store = lookaside.resolve("hello/hello-1.0.tar.gz/sha512/" + sha);
        Files.createDirectories(store);
        Files.write(store.resolve("hello-1.0.tar.gz"), corruptLookaside ? "tampered".getBytes() : tarball);
        Files.writeString(repo.resolve("hello.spec"), String.join("\n", "Name: hello", "Version: 1.0",
                "Release: 1%{?dist}", "Summary: hello", "License: MIT", "Source0: hello-1.0.tar.gz", "BuildArch: noarch",
                "%description", "hello", "%files", ""));
        Files.writeString(repo.resolve("sources"), "SHA512 (hello-1.0.tar.gz) = " + sha + "\n");
        TinyPackages.git(repo, "init", "-q");
        TinyPackages.git(repo, "add", ".");
        TinyPackages.git(repo, "commit", "-q", "-m", "hello 1.0");
        return TinyPackages.git(repo, "rev-parse", "HEAD");
    }

    @Test
    void makesTheSrpmOfExactlyTheNamedCommit() throws Exception {
        Path repo = tmp.resolve("git/rpms/hello.git");
        String commit = distGit(repo, tmp.resolve("lookaside"), false);
        Files.writeString(repo.resolve("hello.spec"), Files.readString(repo.resolve("hello.spec")).replace("Version: 1.0", "Version: 2.0"));
        TinyPackages.git(repo, "commit", "-q", "-am", "later commit that must not be built");
        ScmUrl url = ScmUrl.parse("git+file://" + repo + "?#" + commit, Set.of("git+file"));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        org.fedorabuild.hub.testing.TestSandbox.setUp();
        try (LocalTransport t = new LocalTransport(tmp.resolve("builder"))) {
            Path srpm = new ScmSrpmMaker(t, "file://" + tmp.resolve("lookaside")).make(7, url, "fedora-40-x86_64",
                    tmp.resolve("out"), log, Duration.ofMinutes(2));
            assertEquals("hello-1.0-1.fc40.src.rpm", srpm.getFileName().toString(), log.toString());
            assertTrue(log.toString().contains("checked out " + commit), log.toString());
        }
    }

    @Test
    void aTamperedLookasideFileFailsTheTaskNamingIt() throws Exception {
        Path repo = tmp.resolve("git/rpms/hello.git");
        String commit = distGit(repo, tmp.resolve("lookaside"), true);
        ScmUrl url = ScmUrl.parse("git+file://" + repo + "#" + commit, Set.of("git+file"));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        org.fedorabuild.hub.testing.TestSandbox.setUp();
        try (LocalTransport t = new LocalTransport(tmp.resolve("builder"))) {
            IOException e = assertThrows(IOException.class, () -> new ScmSrpmMaker(t, "file://" + tmp.resolve("lookaside"))
                    .make(8, url, "fedora-40-x86_64", tmp.resolve("out"), log, Duration.ofMinutes(2)));
            assertTrue(e.getMessage().contains("failed"), e.getMessage());
            assertTrue(log.toString().contains("hello-1.0.tar.gz does not match its sha512 checksum"), log.toString());
        }
    }

    @Test
    void urlsAreParsedAsKojiClientsSendThem() {
        ScmUrl u = ScmUrl.parse("git+https://src.fedoraproject.org/rpms/hello.git?#d0cec64af7f599aab9b1c8070ff0160a03579c5c",
                ScmUrl.DEFAULT_SCHEMES);
        assertEquals("https://src.fedoraproject.org/rpms/hello.git", u.cloneUrl());
        assertEquals("", u.subdir());
        assertEquals("d0cec64af7f599aab9b1c8070ff0160a03579c5c", u.revision());
        assertEquals("hello", u.repoName());
        assertEquals("pkgs/hello", ScmUrl.parse("git://example.org/repo.git?pkgs/hello#main", ScmUrl.DEFAULT_SCHEMES).subdir());
    }

    @Test
    void badUrlsAreRefusedWithTheReason() {
        Set<String> s = ScmUrl.DEFAULT_SCHEMES;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ScmUrl.parse("git+https://h/r.git", s)).getMessage().contains("commit"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ScmUrl.parse("git+file:///srv/r.git#abc", s)).getMessage().contains("not allowed"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ScmUrl.parse("git+https://h/r.git#--upload-pack=x", s)).getMessage().contains("revision"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ScmUrl.parse("git+https://h/r.git?../x#abc", s)).getMessage().contains("module path"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ScmUrl.parse("git+https:///r.git#abc", s)).getMessage().contains("host"));
    }
}
