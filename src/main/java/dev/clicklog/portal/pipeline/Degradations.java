package dev.clicklog.portal.pipeline;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import dev.clicklog.portal.adapter.EndpointCapabilities;
import dev.clicklog.portal.adapter.OptionalFeature;
import dev.clicklog.portal.pipeline.step.Changes;

/**
 * Keeps a pipeline's DEGRADED notes as its steps and its endpoint report what it goes without:
 * a note, and an entry in the history, for each optional feature newly skipped; the note goes once
 * the feature is in place again. Runs inside the transactions that record the steps.
 */
final class Degradations {

    private Degradations() {
    }

    /**
     * A run of a step: the features it skipped have a note. When the run completed, the step's
     * notes of features it no longer skipped go (the endpoint serves them now).
     */
    static void stepRan(Pipeline p, StepKind step, List<Changes.Skipped> skipped, boolean completed, Instant now) {
        List<PipelineNote> notes = PipelineNote.of(p.id);
        for (Changes.Skipped s : skipped) {
            note(p, notes, step, s.feature(), s.reason(), s.suggestion(), now);
        }
        if (completed) {
            notes.stream()
                    .filter(n -> n.step == step && skipped.stream().noneMatch(s -> s.feature() == n.feature))
                    .forEach(PipelineNote::delete);
        }
    }

    /** The features no step provides but every pipeline on the endpoint uses (metrics), as the endpoint serves them. */
    static void endpointWide(Pipeline p, EndpointCapabilities capabilities, Instant now) {
        List<PipelineNote> notes = PipelineNote.of(p.id);
        for (OptionalFeature feature : OptionalFeature.values()) {
            if (!feature.endpointWide()) {
                continue;
            }
            var missing = capabilities.missing(feature);
            if (missing.isPresent()) {
                note(p, notes, null, feature, missing.get().reason(), missing.get().suggestion(), now);
            } else {
                notes.stream().filter(n -> n.feature == feature).forEach(PipelineNote::delete);
            }
        }
    }

    /** Notes one feature missing; a feature noted already keeps its note, with the newest reason and suggestion. */
    static void note(Pipeline p, List<PipelineNote> notes, StepKind step, OptionalFeature feature, String reason,
            String suggestion, Instant now) {
        PipelineNote note = notes.stream().filter(n -> n.feature == feature).findFirst().orElse(null);
        if (note == null) {
            note = new PipelineNote();
            note.pipelineId = p.id;
            note.step = step;
            note.feature = feature;
            note.since = now;
            note.reason = PipelineStep.clip(reason);
            note.suggestion = suggestion;
            note.persist();
            notes.add(note);
            p.event(now, step, EventType.DEGRADED, message(feature, reason, suggestion));
        } else if (!Objects.equals(note.reason, PipelineStep.clip(reason)) || !Objects.equals(note.suggestion, suggestion)) {
            note.reason = PipelineStep.clip(reason);
            note.suggestion = suggestion;
        }
    }

    /** "skipped stream encryption: the records are not encrypted … The endpoint does not serve it: …; suggested setting: …". */
    static String message(OptionalFeature feature, String reason, String suggestion) {
        return "skipped " + feature.title() + ": " + feature.without() + ". The endpoint does not serve it: " + reason
                + (suggestion == null ? "" : "; suggested setting: " + suggestion);
    }
}
