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

        /** The innermost cause says why (e.g. the certificate path check); the outer ones say where. */
        private static String reason(Throwable t) {
            Throwable root = t;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return root == t ? t.getMessage() : t.getMessage() + ": " + root.getMessage();
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
