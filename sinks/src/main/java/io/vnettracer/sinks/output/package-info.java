/**
 * How vNetTracer creates the files it writes ({@link io.vnettracer.sinks.output.OutputFile}): checked
 * before a command starts anything, created new without following links, private (0600) unless
 * said otherwise, an existing file replaced only when the user asked (--force).
 */
package io.vnettracer.sinks.output;
