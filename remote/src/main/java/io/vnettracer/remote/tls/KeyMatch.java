package io.vnettracer.remote.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Whether a party's key belongs to its certificate: a random challenge signed with the key must
 * verify with the certificate's public key. TLS would otherwise load a mismatched pair and fail
 * every handshake later, far from the cause.
 */
final class KeyMatch {
    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyMatch() {}

    /** Fails with an IllegalArgumentException naming both files when they do not belong together. */
    static void require(TlsFiles files) {
        X509Certificate certificate = certificate(files);
        PrivateKey key = key(files);
        byte[] challenge = new byte[32];
        RANDOM.nextBytes(challenge);
        boolean matches;
        try {
            String algorithm = switch (key.getAlgorithm()) {
                case "EC" -> "SHA256withECDSA";
                case "RSA" -> "SHA256withRSA";
                default -> key.getAlgorithm(); // Ed25519, Ed448: the key's name is its signature's
            };
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(challenge);
            matches = verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            matches = false;
        }
        if (!matches) {
            throw new IllegalArgumentException("the key " + files.key() + " does not belong to the certificate "
                    + files.certificate() + " (its public key is another); issue the pair again with 'vnettracer certs --dir "
                    + files.dir() + " --node " + files.name() + "'");
        }
    }

    private static X509Certificate certificate(TlsFiles files) {
        try (InputStream in = Files.newInputStream(files.certificate())) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException | GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException(files.certificate() + " is not a PEM X.509 certificate: " + e.getMessage(), e);
        }
    }

    private static PrivateKey key(TlsFiles files) {
        try (Reader in = Files.newBufferedReader(files.key(), StandardCharsets.US_ASCII); PEMParser pem = new PEMParser(in)) {
            Object o = pem.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            return switch (o) {
                case PrivateKeyInfo info -> converter.getPrivateKey(info);
                case PEMKeyPair pair -> converter.getKeyPair(pair).getPrivate();
                case null, default -> throw new IllegalArgumentException(files.key()
                        + " holds no unencrypted PEM private key (PKCS#8 'PRIVATE KEY', or 'EC'/'RSA PRIVATE KEY')");
            };
        } catch (IOException e) {
            throw new IllegalArgumentException(files.key() + " is not a PEM private key: " + e.getMessage(), e);
        }
    }
}
