package org.fedorabuild.compat.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.fedorabuild.compat.fault.KojiFault;
import org.fedorabuild.compat.fault.KojiFault.GenericError;
import org.fedorabuild.compat.session.SessionCredentials;
import org.fedorabuild.compat.upload.RawUploadReceiver;
import org.fedorabuild.compat.upload.UploadRequest;
import org.fedorabuild.compat.wire.KojiCall;
import org.fedorabuild.compat.wire.KojiCodec;
import org.fedorabuild.compat.wire.WireFormatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The Koji hub endpoint on Jetty: every RPC is a POST to the base path (conventionally {@code /kojihub}) or
 * below it ({@code /kojihub/ssllogin}). Results and faults alike are {@code 200 text/xml} with a
 * {@code Koji-Version} header (the koji CLI retries non-2xx answers for ten minutes, so a fault must never be
 * an HTTP error); a non-POST is 405 and an empty body 400, as on the real hub. A body with
 * {@code Content-Type: application/octet-stream} is a raw upload chunk.
 */
public final class KojiHubHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(KojiHubHandler.class);
    private static final String UPLOAD_TYPE = "application/octet-stream";
    /** Answers up to this size are built in memory and sent in one write; larger ones are streamed. */
    static final long IN_MEMORY = 256 * 1024;

    private final String basePath;
    private final String kojiVersion;
    private final KojiCodec codec;
    private final KojiDispatcher dispatcher;
    private final RawUploadReceiver uploads;

    /**
     * @param kojiVersion what {@code Koji-Version} says; the CLI parses it as dotted integers and picks
     *     protocol features by it
     * @param uploads null when the hub accepts no uploads
     */
    public KojiHubHandler(String basePath, String kojiVersion, KojiCodec codec, KojiDispatcher dispatcher,
            RawUploadReceiver uploads) {
        if (!kojiVersion.matches("\\d+(\\.\\d+)*")) {
            throw new IllegalArgumentException("Koji-Version must be digits and dots, got '" + kojiVersion + "'");
        }
        this.basePath = basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) : basePath;
        this.kojiVersion = kojiVersion;
        this.codec = codec;
        this.dispatcher = dispatcher;
        this.uploads = uploads;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        if (!path.equals(basePath) && !path.startsWith(basePath + "/")) {
            return false;
        }
        response.getHeaders().put("Koji-Version", kojiVersion);
        if (!"POST".equals(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, "POST");
            Response.writeError(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405);
            return true;
        }
        MDC.put("r", Request.getRemoteAddr(request));
        try {
            CallContext context = context(request, path);
            String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
            Object result;
            if (type != null && type.startsWith(UPLOAD_TYPE)) {
                result = upload(request, context);
            } else {
                KojiCall call = readCall(request);
                if (call == null) {
                    plain(response, callback, HttpStatus.BAD_REQUEST_400, "empty request body\n");
                    return true;
                }
                result = dispatcher.dispatch(context, call);
            }
            // Small answers are encoded once, in memory; a larger one is measured first (without keeping it or
            // reading its files), so a too-large answer is a fault before any byte and the rest is streamed
            // with a known Content-Length through a bounded buffer.
            KojiCodec.Encoded answer = codec.encodeResponse(result, IN_MEMORY);
            if (answer.size() > dispatcher.maxAnswerBytes()) {
                throw new GenericError("answer of " + answer.size() + " bytes exceeds the limit of " + dispatcher.maxAnswerBytes()
                        + " bytes; ask for less (queryOpts limit, a smaller size)");
            }
            if (answer.bytes() != null) {
                reply(response, callback, answer.bytes());
            } else {
                stream(request, response, callback, result, answer.size());
            }
        } catch (KojiFault fault) {
            reply(response, callback, codec.encodeFault(fault));
        } catch (IllegalArgumentException e) {
            // An unmarshallable result is our bug, but the client still gets a fault, not an HTTP 500.
            LOG.error("Cannot encode the answer to {}", path, e);
            reply(response, callback, codec.encodeFault(1, "<class 'InternalError'>: cannot encode the answer"));
        } catch (IOException e) {
            LOG.info("Request from {} aborted: {}", Request.getRemoteAddr(request), e.toString());
            callback.failed(e);
        } finally {
            MDC.remove("r");
        }
        return true;
    }

    private CallContext context(Request request, String path) {
        Map<String, String> query = query(request);
        SessionCredentials credentials;
        try {
            credentials = SessionCredentials.from(name -> request.getHeaders().get(name), query);
        } catch (IllegalArgumentException e) {
            throw new KojiFault.AuthError(e.getMessage());
        }
        X509Certificate cert = null;
        if (request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE) instanceof EndPoint.SslSessionData ssl
                && ssl.peerCertificates() != null && ssl.peerCertificates().length > 0) {
            cert = ssl.peerCertificates()[0];
        }
        return new CallContext(credentials, Request.getRemoteAddr(request), cert, path.endsWith("/ssllogin"));
    }

    private static Map<String, String> query(Request request) {
        Map<String, String> query = new HashMap<>();
        Fields fields = Request.extractQueryParameters(request);
        for (Fields.Field f : fields) {
            query.put(f.getName(), f.getValue());
        }
        return query;
    }

    private KojiCall readCall(Request request) throws IOException {
        long length = request.getLength();
        try (InputStream in = Content.Source.asInputStream(request)) {
            if (length > codec.limits().maxBytes()) {
                discardRest(in);
                throw new GenericError("request body of " + length + " bytes exceeds the limit of "
                        + codec.limits().maxBytes() + " bytes");
            }
            try {
                // the XML parser closes what it reads; the rest of an oversized body must stay readable
                return codec.decodeCall(new java.io.FilterInputStream(in) {
                    @Override
                    public void close() {
                    }
                });
            } catch (WireFormatException e) {
                if (e.reason() == WireFormatException.Reason.EMPTY) {
                    return null;
                }
                if (e.reason() == WireFormatException.Reason.TOO_LARGE) {
                    discardRest(in);
                }
                LOG.info("Refused request from {}: {}", Request.getRemoteAddr(request), e.getMessage());
                throw new GenericError("invalid request: " + e.getMessage());
            }
        }
    }

    /**
     * Reads and drops what is left of an oversized body (up to a bound) before answering: a client that sends
     * its whole body before reading the answer would otherwise hit a reset connection and never see the fault.
     * Past the bound the connection is given up.
     */
    private void discardRest(InputStream in) throws IOException {
        long budget = 16 * codec.limits().maxBytes();
        byte[] buf = new byte[65536];
        for (int n; budget > 0 && (n = in.read(buf)) > 0; ) {
            budget -= n;
        }
    }

    private Object upload(Request request, CallContext context) throws IOException {
        if (uploads == null) {
            throw new GenericError("this hub accepts no uploads");
        }
        UploadRequest upload = UploadRequest.fromQuery(query(request));
        KojiCall call = KojiCall.of("rawUpload", upload.filePath(), upload.fileName(), upload.offset());
        try (InputStream in = Content.Source.asInputStream(request)) {
            return dispatcher.intercepted(context, call, () -> uploads.receive(context, upload, in));
        }
    }

    /** Koji answers a request with no body with a bare 400 in text/plain. */
    private static void plain(Response response, Callback callback, int status, String text) {
        byte[] body = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /**
     * Writes an answer of known size as it is encoded. A failure before any byte is out (an output file gone)
     * is still a fault; once bytes are out (the client went away, a file shrank) it cannot be: the connection
     * is aborted, and the client sees a body short of its Content-Length rather than other bytes than announced.
     */
    private void stream(Request request, Response response, Callback callback, Object result, long size) {
        response.setStatus(HttpStatus.OK_200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/xml");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, size);
        java.io.OutputStream out = Content.Sink.asOutputStream(response);
        try {
            codec.writeResponse(result, out);
            out.close();
        } catch (IOException | IllegalArgumentException e) {
            LOG.info("Answer of {} bytes to {} failed while written: {}", size, Request.getRemoteAddr(request), e.toString());
            if (!response.isCommitted()) {
                response.reset();
                response.getHeaders().put("Koji-Version", kojiVersion);
                reply(response, callback, codec.encodeFault(new GenericError(
                        "the answer could not be written (a file changed while it was read); try again")));
                return;
            }
            callback.failed(e);
            return;
        }
        callback.succeeded();
    }

    private static void reply(Response response, Callback callback, byte[] body) {
        response.setStatus(HttpStatus.OK_200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/xml");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
