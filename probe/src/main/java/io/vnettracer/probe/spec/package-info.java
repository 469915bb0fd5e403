/**
 * Probe specifications: where a probe attaches, as users write it ({@code dev:vm1/eth0:ingress},
 * {@code sock:vm1:recv}, {@code kernel:net_dev_queue:vm1/eth0}, {@code drops:vm1}), parsed into
 * values with clear errors. Pure syntax: whether the interface or namespace exists is checked when
 * the probe is attached.
 */
package io.vnettracer.probe.spec;
