/**
 * Network namespaces: run an action on the calling thread inside another network namespace, so one
 * process can open sockets, resolve interfaces and attach probes in many namespaces.
 *
 * <p>setns(2) moves only the calling OS thread, so {@link io.vnettracer.bpf.netns.NetNamespace#run}
 * refuses virtual threads (they can continue on another carrier thread) and always moves the thread
 * back. Not safe for: starting threads or thread pools inside {@code run} (a new thread inherits the
 * namespace and is not moved back), or code that hands work to other threads and expects that work
 * to happen in the namespace.
 */
package io.vnettracer.bpf.netns;
