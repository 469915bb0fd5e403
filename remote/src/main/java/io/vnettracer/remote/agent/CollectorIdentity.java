package io.vnettracer.remote.agent;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Who is calling: the subject of the collector's certificate and the SHA-256 of its public key
 * (the DER SubjectPublicKeyInfo). The subject alone is not enough: every collector issued under the
 * default name is {@code CN=collector}, and a CA may issue one name twice; the key is what the
 * caller proved it holds in the handshake.
 */
record CollectorIdentity(String subject, String keySha256) {
    private static final Context.Key<CollectorIdentity> CALLER = Context.key("vnettracer-collector");

    /** The identity of the call being served; set by {@link #interceptor()}. */
    static CollectorIdentity current() {
        return CALLER.get();
    }

    /** Binds each call to its TLS peer's identity; a call without a verified client certificate is refused. */
    static ServerInterceptor interceptor() {
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                             ServerCallHandler<Q, R> next) {
                CollectorIdentity caller = of(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
                if (caller == null) {
                    call.close(Status.UNAUTHENTICATED.withDescription("the agent serves only callers with a client certificate"),
                            new Metadata());
                    return new ServerCall.Listener<>() {};
                }
                return Contexts.interceptCall(Context.current().withValue(CALLER, caller), call, headers, next);
            }
        };
    }

    private static CollectorIdentity of(SSLSession session) {
        if (session == null) {
            return null;
        }
        Certificate[] chain;
        try {
            chain = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
        if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
            return null;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(leaf.getPublicKey().getEncoded());
            return new CollectorIdentity(leaf.getSubjectX500Principal().getName(), HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JDK has SHA-256
        }
    }

    /** For messages: the subject and the key's first 16 hex digits (enough to tell two keys apart by eye). */
    @Override
    public String toString() {
        return subject + " (key sha256:" + keySha256.substring(0, 16) + ")";
    }
}
