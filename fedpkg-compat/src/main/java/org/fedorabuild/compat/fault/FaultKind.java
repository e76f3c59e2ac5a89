package org.fedorabuild.compat.fault;

import java.util.HashMap;
import java.util.Map;

/**
 * Koji's exception classes and their fault codes, as in {@code koji/__init__.py}. The names are the
 * Python class names because the koji CLI prints {@code <ClassName>: <faultString>} and operators grep
 * for them.
 */
public enum FaultKind {
    /** A non-Koji exception on the hub (Koji's default code for them). */
    SERVER_ERROR(1, "Fault", null),
    GENERIC_ERROR(1000, "GenericError", null),
    LOCK_ERROR(1001, "LockError", GENERIC_ERROR),
    AUTH_ERROR(1002, "AuthError", GENERIC_ERROR),
    TAG_ERROR(1003, "TagError", GENERIC_ERROR),
    ACTION_NOT_ALLOWED(1004, "ActionNotAllowed", GENERIC_ERROR),
    BUILD_ERROR(1005, "BuildError", GENERIC_ERROR),
    AUTH_LOCK_ERROR(1006, "AuthLockError", AUTH_ERROR),
    AUTH_EXPIRED(1007, "AuthExpired", AUTH_ERROR),
    SEQUENCE_ERROR(1008, "SequenceError", AUTH_ERROR),
    RETRY_ERROR(1009, "RetryError", AUTH_ERROR),
    PRE_BUILD_ERROR(1010, "PreBuildError", BUILD_ERROR),
    POST_BUILD_ERROR(1011, "PostBuildError", BUILD_ERROR),
    BUILDROOT_ERROR(1012, "BuildrootError", BUILD_ERROR),
    FUNCTION_DEPRECATED(1013, "FunctionDeprecated", GENERIC_ERROR),
    SERVER_OFFLINE(1014, "ServerOffline", GENERIC_ERROR),
    LIVE_CD_ERROR(1015, "LiveCDError", GENERIC_ERROR),
    PLUGIN_ERROR(1016, "PluginError", GENERIC_ERROR),
    CALLBACK_ERROR(1017, "CallbackError", PLUGIN_ERROR),
    APPLIANCE_ERROR(1018, "ApplianceError", GENERIC_ERROR),
    PARAMETER_ERROR(1019, "ParameterError", GENERIC_ERROR),
    IMPORT_ERROR(1020, "ImportError", GENERIC_ERROR),
    CONFIGURATION_ERROR(1021, "ConfigurationError", GENERIC_ERROR),
    LIVE_MEDIA_ERROR(1022, "LiveMediaError", GENERIC_ERROR),
    GSSAPI_AUTH_ERROR(1023, "GSSAPIAuthError", AUTH_ERROR),
    NAME_VALIDATION_ERROR(1024, "NameValidationError", GENERIC_ERROR);

    private static final Map<Integer, FaultKind> BY_CODE = new HashMap<>();

    static {
        for (FaultKind kind : values()) {
            BY_CODE.put(kind.code, kind);
        }
    }

    private final int code;
    private final String pythonName;
    private final FaultKind parent;

    FaultKind(int code, String pythonName, FaultKind parent) {
        this.code = code;
        this.pythonName = pythonName;
        this.parent = parent;
    }

    public int code() {
        return code;
    }

    public String pythonName() {
        return pythonName;
    }

    /** True when this kind is {@code other} or derives from it, as Python's {@code isinstance}. */
    public boolean isA(FaultKind other) {
        for (FaultKind k = this; k != null; k = k.parent) {
            if (k == other) {
                return true;
            }
        }
        return false;
    }

    /** The kind for a wire code, or null for codes Koji does not define (the client keeps them raw). */
    public static FaultKind forCode(int code) {
        return BY_CODE.get(code);
    }
}
