/**
 * The agent: one per kernel. It validates the scripts a collector pushes, runs them as a trace
 * session, and streams the raw records in numbered batches that it keeps in a bounded spool until
 * the collector acknowledges them. It joins nothing: that is the collector's work.
 */
package io.vnettracer.remote.agent;
