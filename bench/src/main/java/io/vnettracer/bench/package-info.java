/**
 * Benchmarks of vNetTracer, each a main class that prints what it measured, how, and the spread over
 * repeats (median, min, max), and writes a JSON result file a later run can be compared with.
 * Run them with {@code scripts/bench}; they are not part of the tests.
 */
package io.vnettracer.bench;
