package io.vnettracer.kafka;

import io.vnettracer.journey.JoinerFigures;
import io.vnettracer.journey.Summary;

/**
 * What one joiner (one partition) or a merge of several adds up to: the summary, and the figures
 * behind it that {@link SummaryMerge} needs to add summaries up exactly.
 */
public record PartialSummary(Summary summary, JoinerFigures figures) {}
