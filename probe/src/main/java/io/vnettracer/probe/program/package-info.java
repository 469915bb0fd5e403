/**
 * Probe programs: the maps every probe of a session shares ({@link io.vnettracer.probe.program.ProbeMaps})
 * and the builder that turns one probe definition into a program
 * ({@link io.vnettracer.probe.program.ProbeProgramBuilder}). What can change live without a reload
 * (enabled, sample rate) lives in the config map; a new filter or action set is a new program.
 */
package io.vnettracer.probe.program;
