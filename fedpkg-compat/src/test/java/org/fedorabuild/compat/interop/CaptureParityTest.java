package org.fedorabuild.compat.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.fedorabuild.compat.fault.KojiFault;
import org.fedorabuild.compat.testing.Captures;
import org.fedorabuild.compat.testing.Captures.Exchange;
import org.fedorabuild.compat.testing.Python;
import org.fedorabuild.compat.wire.KojiCall;
import org.fedorabuild.compat.wire.KojiCodec;
import org.fedorabuild.compat.wire.WireLimits;
import org.junit.jupiter.api.Test;

/**
 * Every capture read by Java equals the same capture read by Python's xmlrpc.client (Koji's own parser):
 * both sides print an exact canonical form (python/canonical.py) and the lines must match one by one.
 */
class CaptureParityTest {
    private static String s(String text) {
        return "S" + HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_8));
    }

    static String canon(Object v) {
        if (v == null) {
            return "N";
        }
        if (v instanceof Boolean b) {
            return b ? "B1" : "B0";
        }
        if (v instanceof Long || v instanceof Integer) {
            return "I" + v;
        }
        if (v instanceof Double d) {
            return "D" + Double.doubleToRawLongBits(d);
        }
        if (v instanceof String str) {
            return s(str);
        }
        if (v instanceof byte[] bytes) {
            return "Y" + HexFormat.of().formatHex(bytes);
        }
        if (v instanceof Date date) {
            return "T" + new java.text.SimpleDateFormat("yyyyMMdd'T'HH:mm:ss").format(date);
        }
        if (v instanceof List<?> list) {
            List<String> items = new ArrayList<>();
            list.forEach(x -> items.add(canon(x)));
            return "L" + list.size() + "[" + String.join(",", items) + "]";
        }
        if (v instanceof Map<?, ?> map) {
            List<String> items = new ArrayList<>();
            new TreeMap<>(map).forEach((k, x) -> items.add(s((String) k) + "=" + canon(x)));
            return "M" + map.size() + "{" + String.join(",", items) + "}";
        }
        throw new IllegalArgumentException("no canonical form for " + v.getClass());
    }

    @Test
    void javaReadsEveryCaptureExactlyAsPythonDoes() throws Exception {
        Python.assumeAvailable();
        Python.Result py = Python.run(60, "canonical.py", Captures.root().toString());
        assertEquals(0, py.exitCode(), py::describe);
        Map<String, String> python = new HashMap<>();
        py.stdout().lines().forEach(line -> {
            int tab = line.indexOf('\t');
            python.put(line.substring(0, tab), line.substring(tab + 1));
        });

        KojiCodec requests = new KojiCodec(WireLimits.REQUEST);
        KojiCodec responses = new KojiCodec(WireLimits.RESPONSE);
        Map<String, String> java = new HashMap<>();
        for (Exchange e : Captures.exchanges()) {
            if (e.hasRequestXml()) {
                try (InputStream in = e.openRequest()) {
                    KojiCall call = requests.decodeCall(in);
                    java.put(e.id() + "-request.xml", "C" + s(call.method()) + canon(call.wireParams()));
                }
            }
            try (InputStream in = e.openResponse()) {
                String form;
                try {
                    form = "R" + canon(responses.decodeResponse(in));
                } catch (KojiFault f) {
                    form = "F" + f.code() + ":" + s(f.getMessage());
                }
                java.put(e.id() + "-response.xml", form);
            }
        }
        assertEquals(231, python.size(), "116 responses and 115 XML requests");
        assertEquals(new TreeMap<>(python).keySet(), new TreeMap<>(java).keySet());
        for (String file : new TreeMap<>(python).keySet()) {
            assertEquals(python.get(file), java.get(file), file);
        }
    }
}
