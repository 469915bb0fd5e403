/**
 * The legacy tc attach path for kernels without TCX (before Linux 6.6): a cls_bpf filter in
 * direct-action mode under a clsact qdisc, managed over rtnetlink. Filters are named after their
 * owning process ({@link io.vnettracer.bpf.link.tc.FilterOwner}) so that filters left behind by a
 * killed process can be found and removed at the next start
 * ({@link io.vnettracer.bpf.link.tc.TcLegacyLink#cleanStale()}).
 *
 * <p>Acts in the network namespace of the calling thread: attach inside
 * {@link io.vnettracer.bpf.netns.NetNamespace#run} to reach another namespace's interfaces. Not safe
 * against other tools that delete the clsact qdisc (that removes our filters with it), and a probe
 * program should return TC_ACT_UNSPEC so filters after it still run.
 */
package io.vnettracer.bpf.link.tc;
