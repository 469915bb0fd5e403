package io.vnettracer.remote.tls;

import io.grpc.ChannelCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.internal.ObjectPool;
import io.grpc.netty.shaded.io.grpc.netty.GrpcHttp2ConnectionHandler;
import io.grpc.netty.shaded.io.grpc.netty.InternalNettyServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.InternalProtocolNegotiator;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandler;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import io.grpc.netty.shaded.io.netty.handler.ssl.NotSslRecordException;
import io.grpc.netty.shaded.io.netty.util.AsciiString;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;

/**
 * gRPC credentials for both ends. The agent requires a client certificate signed by its CA
 * (TLS handshake refused otherwise) and reports each refusal, with the peer's address and the
 * TLS reason, to a callback: gRPC itself only logs them at debug level without the address.
 */
public final class MutualTls {
    private MutualTls() {}

    /**
     * The agent's credentials; {@code refusals} gets one line per client refused in the handshake.
     * A key that does not belong to the certificate is refused here (IllegalArgumentException).
     */
    public static ServerCredentials server(TlsFiles files, Consumer<String> refusals) {
        files.requireExisting();
        KeyMatch.require(files);
        ServerCredentials tls;
        try {
            tls = TlsServerCredentials.newBuilder()
                    .keyManager(files.certificate().toFile(), files.key().toFile())
                    .trustManager(files.ca().toFile())
                    .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE)
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException("reading the agent's certificates in " + files.dir() + ": " + e.getMessage(), e);
        }
        InternalProtocolNegotiator.ServerFactory inner = InternalNettyServerCredentials.toNegotiator(tls);
        return InternalNettyServerCredentials.create(new InternalProtocolNegotiator.ServerFactory() {
            @Override
            public InternalProtocolNegotiator.ProtocolNegotiator newNegotiator(ObjectPool<? extends Executor> pool) {
                return new RefusalReporting(inner.newNegotiator(pool), refusals);
            }
        });
    }

    /** The collector's credentials: its client certificate, and trust in the CA only. */
    public static ChannelCredentials client(TlsFiles files) {
        files.requireExisting();
        KeyMatch.require(files);
        try {
            return TlsChannelCredentials.newBuilder()
                    .keyManager(files.certificate().toFile(), files.key().toFile())
                    .trustManager(files.ca().toFile())
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException("reading the collector's certificates in " + files.dir() + ": " + e.getMessage(), e);
        }
    }

    /** The TLS negotiator with a handler behind it that sees the handshake's failure. */
    private record RefusalReporting(InternalProtocolNegotiator.ProtocolNegotiator inner, Consumer<String> refusals)
            implements InternalProtocolNegotiator.ProtocolNegotiator {
        @Override
        public AsciiString scheme() {
            return inner.scheme();
        }

        @Override
        public ChannelHandler newHandler(GrpcHttp2ConnectionHandler grpcHandler) {
            ChannelHandler tls = inner.newHandler(grpcHandler);
            return new ChannelInboundHandlerAdapter() {
                @Override
                public void handlerAdded(ChannelHandlerContext ctx) {
                    ctx.pipeline().addAfter(ctx.name(), null, new RefusalLogger(refusals));
                    ctx.pipeline().replace(this, null, tls);
                }
            };
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    /** Reports the first TLS failure of one connection. */
    private static final class RefusalLogger extends ChannelInboundHandlerAdapter {
        private final Consumer<String> refusals;
        private boolean reported;

        RefusalLogger(Consumer<String> refusals) {
            this.refusals = refusals;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            SSLException tls = sslCause(cause);
            if (tls != null && !reported) {
                reported = true;
                refusals.accept("refused " + ctx.channel().remoteAddress() + " in the TLS handshake: " + reason(tls));
            }
            ctx.fireExceptionCaught(cause);
        }

        /**
         * Why, without what the client sent: Netty's message for a connection that is not TLS is a
         * hex dump of its first bytes, so that one becomes a description of the protocol it looks
         * like. For the others, the innermost cause says why (e.g. the certificate path check), the
         * outer ones say where; their text is the TLS engine's, still kept to one short printable
         * line with any long hex run cut out.
         */
        private static String reason(Throwable t) {
            if (t instanceof NotSslRecordException) {
                return "not TLS (" + looksLike(t.getMessage()) + "; its bytes are not logged)";
            }
            Throwable root = t;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return printable(root == t ? t.getMessage() : t.getMessage() + ": " + root.getMessage());
        }

        /** What a non-TLS client's first bytes (hex in Netty's message) look like. */
        private static String looksLike(String message) {
            String hex = message == null ? "" : message.substring(message.lastIndexOf(' ') + 1);
            byte[] first;
            try {
                first = java.util.HexFormat.of().parseHex(hex.substring(0, Math.min(hex.length(), 16) & ~1));
            } catch (IllegalArgumentException e) {
                return "unrecognised data";
            }
            String start = new String(first, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (start.startsWith("PRI * HT")) {
                return "plaintext HTTP/2: a gRPC client without TLS?";
            }
            for (String method : new String[] {"GET ", "POST", "PUT ", "HEAD", "DELE", "OPTI", "CONN", "PATC", "TRAC"}) {
                if (start.startsWith(method)) {
                    return "a plaintext HTTP/1 request";
                }
            }
            return "unrecognised data";
        }

        private static final int MAX_REASON = 240;

        private static String printable(String reason) {
            String s = String.valueOf(reason).replaceAll("[^\\x20-\\x7e]", "?").replaceAll("[0-9a-fA-F]{32,}", "<hex not logged>");
            return s.length() <= MAX_REASON ? s : s.substring(0, MAX_REASON) + "...";
        }

        private static SSLException sslCause(Throwable t) {
            for (; t != null; t = t.getCause()) {
                if (t instanceof SSLException s) {
                    return s;
                }
            }
            return null;
        }
    }
}
