package org.fedorabuild.compat.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.xmlrpc.common.XmlRpcHttpRequestConfigImpl;
import org.apache.xmlrpc.serializer.CharSetXmlWriterFactory;
import org.apache.xmlrpc.serializer.XmlRpcWriter;
import org.junit.jupiter.api.Test;

/**
 * The fast writer's bytes equal those of Apache's stock UTF-8 writer, which it replaced for speed: markup
 * characters, non-ASCII text, a character outside the BMP, a lone surrogate half, and an answer large enough
 * to grow (and then reuse) the thread's buffer.
 */
class Utf8XmlWriterTest {
    private static byte[] stock(Object value) throws Exception {
        KojiTypeFactory types = new KojiTypeFactory();
        XmlRpcHttpRequestConfigImpl config = types.config();
        config.setEncoding("UTF-8");
        config.setEnabledForExtensions(false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new XmlRpcWriter(config, new CharSetXmlWriterFactory().getXmlWriter(config, out), types).write(config, value);
        return out.toByteArray();
    }

    @Test
    void bytesEqualTheStockWriters() throws Exception {
        KojiCodec codec = new KojiCodec(WireLimits.RESPONSE);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("markup", "a < b && c > \"d\" 'e'\r\n\ttab");
        m.put("latin", "Grüße, señor, čeština");
        m.put("astral", "rocket \uD83D\uDE80 and cjk 漢字");
        m.put("lone", "half \uD83D here");
        m.put("numbers", List.of(1, 2L << 40, 3.25, true));
        m.put("nil", null);
        List<Object> big = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            big.add(Map.of("id", i, "name", "task-" + i));
        }
        for (Object value : Arrays.asList(m, big, "plain ascii", m)) {
            assertArrayEquals(stock(value), codec.encodeResponse(value), () -> "answer for " + value);
        }
        assertEquals("<?xml", new String(codec.encodeResponse("x"), StandardCharsets.UTF_8).substring(0, 5));
    }
}
