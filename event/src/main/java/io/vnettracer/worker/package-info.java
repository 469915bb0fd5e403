/**
 * The threads behind a trace's drain and hand-off loops, and the queue between them.
 * {@link io.vnettracer.worker.Worker} runs one loop on a named thread, catches whatever ends it
 * (an {@link java.lang.Error} too) and reports the first failure to its owner as a
 * {@link io.vnettracer.worker.WorkerFailure}; {@link io.vnettracer.worker.WorkerFailures} keeps the
 * first failure of a component and passes it on to whoever ends the trace.
 * {@link io.vnettracer.worker.SpscQueue} is the one bounded single-producer single-consumer queue
 * the drain thread hands buffers through.
 *
 * <p>It lives in the event module because that is the one module every module with a worker
 * (session, store, kafka, export, remote, diagnose) already depends on; it depends on nothing.
 */
package io.vnettracer.worker;
