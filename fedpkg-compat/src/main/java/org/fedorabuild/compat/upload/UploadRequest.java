package org.fedorabuild.compat.upload;

import java.util.Map;
import org.fedorabuild.compat.fault.KojiFault.ParameterError;

/**
 * One chunk of a koji fast upload, as its query string describes it:
 * {@code ?filename=N&filepath=P&fileverify=adler32&offset=O[&overwrite=1][&volume=V]}. An offset of -1
 * means "append".
 */
public record UploadRequest(String fileName, String filePath, String verify, long offset, boolean overwrite,
        String volume) {
    public static UploadRequest fromQuery(Map<String, String> query) {
        String name = query.get("filename");
        String path = query.get("filepath");
        if (name == null || name.isEmpty()) {
            throw new ParameterError("upload without a filename");
        }
        if (path == null) {
            throw new ParameterError("upload of " + name + " without a filepath");
        }
        String verify = query.get("fileverify");
        if (verify != null && !verify.isEmpty() && !UploadDigest.ADLER32.equals(verify)) {
            throw new ParameterError("unsupported fileverify '" + verify + "', expected adler32");
        }
        long offset;
        try {
            offset = Long.parseLong(query.getOrDefault("offset", "0"));
        } catch (NumberFormatException e) {
            throw new ParameterError("invalid upload offset '" + query.get("offset") + "', expected an integer");
        }
        if (offset < -1) {
            throw new ParameterError("invalid upload offset " + offset + ", expected -1 or more");
        }
        String overwrite = query.get("overwrite");
        boolean ow = overwrite != null && !overwrite.isEmpty() && !"0".equals(overwrite);
        String volume = query.get("volume");
        return new UploadRequest(name, path, verify == null || verify.isEmpty() ? null : verify, offset, ow,
                volume == null || volume.isEmpty() || "DEFAULT".equals(volume) ? null : volume);
    }
}
