package io.vnettracer.demo;

import io.vnettracer.journey.Summary;
import io.vnettracer.journey.diagnosis.Finding;
import java.util.List;

/**
 * One case's numbers: the measured request flow and the reply flow from the tracer's summary, the
 * round trips of sockperf's messages as the tracer saw them, sockperf's own report of the run, and the
 * diagnosis of the request's way.
 */
public record CaseResult(CaseStudies.Study study, CaseStudies.Case kase, String summaryFile, Summary summary,
                  Summary.Flow request, Summary.Flow reply, SockperfResult sockperf, RoundTrips.Figures roundTrips,
                  List<Finding> diagnosis) {

}
