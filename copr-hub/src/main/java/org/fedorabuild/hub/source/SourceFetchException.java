package org.fedorabuild.hub.source;

/** A source URL that was refused or could not be fetched; the message is the reason users see. */
public final class SourceFetchException extends Exception {
    public SourceFetchException(String message) {
        super(message, null, false, false);
    }
}
