/**
 * {@code vnettracer demo}: the paper's two case studies run on the lab — congestion in the virtual
 * switch, and a receiver waiting for its CPU — each case traced end to end while sockperf measures
 * the same traffic, the numbers side by side, written as JSON summaries and an index the report is
 * built from. Runs as root; everything it starts it stops, and the lab is taken down however it ends.
 */
package io.vnettracer.demo;
