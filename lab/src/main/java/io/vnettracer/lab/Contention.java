package io.vnettracer.lab;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A CPU-bound process pinned to {@code cpu}, started by {@code up} and killed by {@code down};
 * with {@code vm} it runs in that VM's namespace and cgroup, competing with the VM's workloads.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Contention(String name, Integer cpu, String vm) {}
