/**
 * Scheduler evidence for the diagnosis: how long the tasks of one network namespace (a "VM")
 * waited on a run queue after being woken, and which task held the CPU meanwhile
 * ({@link io.vnettracer.probe.sched.RunQueueWaitProgram}).
 */
package io.vnettracer.probe.sched;
