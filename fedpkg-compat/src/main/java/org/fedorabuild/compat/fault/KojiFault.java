package org.fedorabuild.compat.fault;

/**
 * A Koji fault: the exception a hub method throws to answer {@code <fault>}, and what a client call throws
 * when the hub answered one. Subclasses mirror the Koji classes callers catch by type; every other code is
 * carried by {@link #kind()} (or {@link #code()} when Koji does not define it).
 */
public class KojiFault extends RuntimeException {
    private final int code;
    private final FaultKind kind;

    public KojiFault(int code, String message) {
        super(message == null ? "" : message, null, false, false);
        this.code = code;
        this.kind = FaultKind.forCode(code);
    }

    protected KojiFault(FaultKind kind, String message) {
        this(kind.code(), message);
    }

    public int code() {
        return code;
    }

    /** The Koji class of this fault, or null for a code Koji does not define. */
    public FaultKind kind() {
        return kind;
    }

    public boolean isA(FaultKind other) {
        return kind != null && kind.isA(other);
    }

    /** The form the koji CLI prints: {@code ClassName: message}. */
    @Override
    public String toString() {
        String name = kind == null ? "Fault " + code : kind.pythonName();
        return name + ": " + getMessage();
    }

    /** The typed exception for a fault read off the wire. */
    public static KojiFault fromWire(int code, String message) {
        FaultKind kind = FaultKind.forCode(code);
        if (kind == null) {
            return new KojiFault(code, message);
        }
        switch (kind) {
            case GENERIC_ERROR: return new GenericError(message);
            case LOCK_ERROR: return new LockError(message);
            case AUTH_ERROR: return new AuthError(message);
            case ACTION_NOT_ALLOWED: return new ActionNotAllowed(message);
            case AUTH_LOCK_ERROR: return new AuthLockError(message);
            case AUTH_EXPIRED: return new AuthExpired(message);
            case SEQUENCE_ERROR: return new SequenceError(message);
            case RETRY_ERROR: return new RetryError(message);
            case SERVER_OFFLINE: return new ServerOffline(message);
            case PARAMETER_ERROR: return new ParameterError(message);
            default: return new KojiFault(code, message);
        }
    }

    public static class GenericError extends KojiFault {
        public GenericError(String message) { super(FaultKind.GENERIC_ERROR, message); }
        protected GenericError(FaultKind kind, String message) { super(kind, message); }
    }

    public static class LockError extends GenericError {
        public LockError(String message) { super(FaultKind.LOCK_ERROR, message); }
    }

    public static class ActionNotAllowed extends GenericError {
        public ActionNotAllowed(String message) { super(FaultKind.ACTION_NOT_ALLOWED, message); }
    }

    public static class ParameterError extends GenericError {
        public ParameterError(String message) { super(FaultKind.PARAMETER_ERROR, message); }
    }

    public static class ServerOffline extends GenericError {
        public ServerOffline(String message) { super(FaultKind.SERVER_OFFLINE, message); }
    }

    public static class AuthError extends GenericError {
        public AuthError(String message) { super(FaultKind.AUTH_ERROR, message); }
        protected AuthError(FaultKind kind, String message) { super(kind, message); }
    }

    public static class AuthLockError extends AuthError {
        public AuthLockError(String message) { super(FaultKind.AUTH_LOCK_ERROR, message); }
    }

    public static class AuthExpired extends AuthError {
        public AuthExpired(String message) { super(FaultKind.AUTH_EXPIRED, message); }
    }

    public static class SequenceError extends AuthError {
        public SequenceError(String message) { super(FaultKind.SEQUENCE_ERROR, message); }
    }

    public static class RetryError extends AuthError {
        public RetryError(String message) { super(FaultKind.RETRY_ERROR, message); }
    }
}
