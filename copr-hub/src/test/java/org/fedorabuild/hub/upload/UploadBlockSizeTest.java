package org.fedorabuild.hub.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.zip.Adler32;
import org.fedorabuild.compat.client.KojiClient;
import org.fedorabuild.compat.upload.FastUpload;
import org.fedorabuild.hub.testing.BuildHub;
import org.fedorabuild.pg.testing.PostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The chunk size `copr-hub profile` asks the koji CLI for (upload_blocksize = 16 MiB) is taken and verified whole. */
class UploadBlockSizeTest {
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.withMigrations("sql/copr-hub");
    @TempDir
    Path tmp;

    @Test
    void chunksOfTheProfilesBlockSizeAreAccepted() throws Exception {
        int size = (16 << 20) * 2 + 12_345;
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        Path f = Files.write(tmp.resolve("big.src.rpm"), data);
        try (BuildHub hub = BuildHub.start(PG.dataSource(), tmp.resolve("data"), "", 0);
                KojiClient k = hub.login("alice", hub.user("alice", false))) {
            FastUpload.Result r = FastUpload.upload(k, f, "cli-build/1.3.bigchunk", "big.src.rpm", 16 << 20);
            assertEquals(size, r.size());
            Adler32 a = new Adler32();
            a.update(data);
            Map<?, ?> check = (Map<?, ?>) k.call("checkUpload", "cli-build/1.3.bigchunk", "big.src.rpm", "adler32");
            assertEquals(String.format("%08x", a.getValue()), check.get("hexdigest"), check.toString());
            assertEquals((long) size, ((Number) check.get("size")).longValue());
        }
    }
}
