package io.vnettracer.remote.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import io.vnettracer.sinks.output.OutputFile;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Issues the certificates of a tracing deployment: a CA, then per agent a server certificate whose
 * names are the node name, {@code localhost} and 127.0.0.1 (the collector checks the node name),
 * and per collector a client certificate. Agent certificates cannot act as clients and the
 * collector's cannot act as a server (extended key usage), so a stolen agent key drives no agent.
 * Keys are EC P-256, written PKCS#8 PEM with mode 0600.
 */
public final class CertificateAuthority {
    private static final Duration VALIDITY = Duration.ofDays(825);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyPair keys;
    private final X509Certificate certificate;

    private CertificateAuthority(KeyPair keys, X509Certificate certificate) {
        this.keys = keys;
        this.certificate = certificate;
    }

    /** A new CA, written to {@code dir/ca.pem} and {@code dir/ca.key}. */
    public static CertificateAuthority create(Path dir, String name) {
        KeyPair keys = newKeys();
        X500Name subject = commonName(name);
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            X509v3CertificateBuilder b = builder(subject, subject, keys);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            X509Certificate cert = sign(b, keys);
            TlsFiles files = new TlsFiles(dir, "ca");
            writePem(files.ca(), "CERTIFICATE", cert.getEncoded(), false);
            writePem(files.caKey(), "PRIVATE KEY", keys.getPrivate().getEncoded(), true);
            return new CertificateAuthority(keys, cert);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("creating the CA: " + e.getMessage(), e);
        }
    }

    /** An agent's server certificate for {@code node}, written to {@code dir/NODE.pem} and {@code dir/NODE.key}. */
    public void issueAgent(Path dir, String node) {
        NodeName.require("node name", node);
        issue(new TlsFiles(dir, node), List.of(new GeneralName(GeneralName.dNSName, node),
                new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")),
                KeyPurposeId.id_kp_serverAuth);
    }

    /** A collector's client certificate, written to {@code dir/NAME.pem} and {@code dir/NAME.key}. */
    public void issueCollector(Path dir, String name) {
        NodeName.require("collector name", name);
        issue(new TlsFiles(dir, name), List.of(new GeneralName(GeneralName.dNSName, name)), KeyPurposeId.id_kp_clientAuth);
    }

    private void issue(TlsFiles files, List<GeneralName> names, KeyPurposeId purpose) {
        KeyPair subjectKeys = newKeys();
        try {
            X509v3CertificateBuilder b = builder(new X500Name(certificate.getSubjectX500Principal().getName()),
                    commonName(files.name()), subjectKeys);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
            X509Certificate cert = sign(b, keys);
            writePem(files.certificate(), "CERTIFICATE", cert.getEncoded(), false);
            writePem(files.key(), "PRIVATE KEY", subjectKeys.getPrivate().getEncoded(), true);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("issuing " + files.certificate() + ": " + e.getMessage(), e);
        }
    }

    /** CN=NAME built as one attribute value: a ',' or '=' in the name stays text, never another attribute. */
    private static X500Name commonName(String name) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, name).build();
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair subjectKeys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, RANDOM).abs().add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), subject, subjectKeys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair signer) throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static KeyPair newKeys() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writePem(Path file, String type, byte[] der, boolean secret) {
        String pem = "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
        // The command checked (and refused without --force) existing files before the CA was made.
        OutputFile output = secret ? OutputFile.replacing(file) : OutputFile.replacing(file).readableByAll();
        output.write(pem.getBytes(StandardCharsets.US_ASCII));
    }
}
