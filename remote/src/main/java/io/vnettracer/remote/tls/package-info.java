/**
 * Mutual TLS between collector and agents: a private CA with a certificate per agent (server
 * only) and per collector (client only), and the gRPC credentials built from them. An agent loads
 * kernel programs as root, so nothing reaches it without a certificate from its CA. Not a general
 * PKI: no revocation, no rotation beyond issuing anew.
 */
package io.vnettracer.remote.tls;
