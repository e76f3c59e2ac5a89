package org.fedorabuild.compat.upload;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.fedorabuild.compat.server.CallContext;

/**
 * Where the hub handler sends a raw upload POST ({@code Content-Type: application/octet-stream}). It answers
 * the struct the koji client checks: {@code {size, fileverify, offset, hexdigest}}.
 */
@FunctionalInterface
public interface RawUploadReceiver {
    Map<String, Object> receive(CallContext context, UploadRequest request, InputStream body) throws IOException;
}
