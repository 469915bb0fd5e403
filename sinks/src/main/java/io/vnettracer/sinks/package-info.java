/**
 * Where a trace's output goes besides the terminal: {@link io.vnettracer.sinks.TraceSink} is the
 * one interface every output implements (store, exports, transports; the thread rules are on it),
 * and {@link io.vnettracer.sinks.WallClock} turns the kernel's monotonic timestamps into wall time
 * for outputs that need it. The outputs themselves live in sub-packages and other modules.
 */
package io.vnettracer.sinks;
