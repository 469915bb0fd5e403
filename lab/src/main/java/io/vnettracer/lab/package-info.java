/**
 * The lab: small virtual networks to trace, built from a YAML topology file with the host's own
 * tools (ip, tc, iptables, taskset). Each "VM" is a network namespace with an {@code eth0}; the
 * switch is a Linux bridge in its own namespace (or the host's); shaping, random loss and CPU
 * contention are applied on request. Everything is named after the lab and recorded in a state
 * file so that {@link io.vnettracer.lab.Lab#down} removes exactly what {@code up} made, also after
 * a crash.
 *
 * <p>Not safe for concurrent use on one lab: two {@code up}s of the same lab at once race on its
 * state file. Needs root (CAP_NET_ADMIN, CAP_SYS_ADMIN for namespaces).
 */
package io.vnettracer.lab;
