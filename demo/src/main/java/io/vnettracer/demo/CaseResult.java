package io.vnettracer.demo;

import io.vnettracer.journey.Summary;

/**
 * One case's numbers: the measured request flow and the reply flow from the tracer's summary, and
 * sockperf's own report of the same run.
 */
public record CaseResult(CaseStudies.Study study, CaseStudies.Case kase, String summaryFile, Summary summary,
                  Summary.Flow request, Summary.Flow reply, SockperfResult sockperf) {

    /**
     * Half of the round trip as the tracer sees it, from the means of the two one-way flows
     * (socket to socket each way): the figure comparable to sockperf's mean, which is half the
     * round trip measured in user space. Without a traced reply, the request's mean.
     */
    public double halfRoundTripMeanUs() {
        double req = request.latencyNs().mean();
        double rep = reply == null ? req : reply.latencyNs().mean();
        return (req + rep) / 2 / 1000;
    }
}
