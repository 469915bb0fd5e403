/**
 * The {@code vnettracer} command: one picocli {@link io.vnettracer.cli.Main} with a subcommand per
 * task: {@code doctor}, {@code trace} and {@code ctl} (docs/TRACE.md); demo and report as their layers land.
 *
 * <p>Exit codes: 0 success, 1 failure or a missing feature, 2 a usage error or missing
 * privileges. Subcommands that touch the kernel call {@link io.vnettracer.cli.KernelPrivileges#require}
 * first. Machine-readable output (--json) goes to stdout alone; diagnostics go to stderr.
 */
package io.vnettracer.cli;
