package org.fedorabuild.compat.upload;

import java.nio.file.Path;
import org.fedorabuild.compat.fault.KojiFault.ActionNotAllowed;
import org.fedorabuild.compat.fault.KojiFault.GenericError;

/**
 * Where an upload may land. Koji's rules: the file name is bare and not hidden, the directory is relative
 * and never climbs out of the work area, and {@code tasks/…} belongs to builders writing task output.
 */
public final class UploadPaths {
    private UploadPaths() {
    }

    /** The normalised relative directory, or a fault naming what is wrong with it. */
    public static String checkDirectory(String filepath, boolean mayWriteTasks) {
        String p = filepath.replace('\\', '/');
        if (p.startsWith("/")) {
            throw new GenericError("invalid upload path '" + filepath + "': must be relative");
        }
        for (String part : p.split("/")) {
            if (part.equals("..")) {
                throw new GenericError("invalid upload path '" + filepath + "': '..' is not allowed");
            }
        }
        if (p.indexOf('\0') >= 0) {
            throw new GenericError("invalid upload path: NUL character");
        }
        String norm = Path.of(p.isEmpty() ? "." : p).normalize().toString();
        norm = norm.equals(".") ? "" : norm;
        if (!mayWriteTasks && (norm.equals("tasks") || norm.startsWith("tasks/"))) {
            throw new ActionNotAllowed("upload path '" + filepath + "' is reserved for builders");
        }
        return norm;
    }

    /** The file name: bare, not hidden, not empty. */
    public static String checkName(String name) {
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.indexOf('\0') >= 0) {
            throw new GenericError("invalid upload file name '" + name + "': must be a bare file name");
        }
        if (name.startsWith(".")) {
            throw new GenericError("invalid upload file name '" + name + "': must not start with a dot");
        }
        return name;
    }
}
