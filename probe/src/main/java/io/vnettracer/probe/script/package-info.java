/**
 * The tracing script: which probes, which rules (filters) and which actions, and how packets are
 * identified. Values only; {@code ScriptParser} reads the documented text format.
 */
package io.vnettracer.probe.script;
