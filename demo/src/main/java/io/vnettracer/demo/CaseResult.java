package io.vnettracer.demo;

import io.vnettracer.journey.Summary;
import io.vnettracer.journey.diagnosis.Finding;
import java.util.List;

/**
 * One run of a case: the measured request flow and the reply flow from the tracer's summary, the
 * round trips of sockperf's messages as the tracer saw them, sockperf's own report of the run, and the
 * diagnosis of the request's way.
 *
 * @param run          1 for the first run of the case, up to the demo's {@code --repeat}
 * @param summaryFile  the run's JSON summary, in the demo's output directory
 * @param messagesFile the run's per-message CSV there
 */
public record CaseResult(CaseStudies.Study study, CaseStudies.Case kase, int run, String summaryFile,
                         String messagesFile, Summary summary, Summary.Flow request, Summary.Flow reply,
                         SockperfResult sockperf, RoundTrips.Figures roundTrips, List<Finding> diagnosis) {

}
