package dev.tern.http;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.tern.json.Json;
import dev.tern.event.RejectReason;
import dev.tern.ingest.ImportError;
import dev.tern.ingest.ImportJob;
import dev.tern.ingest.ImportReport;
import dev.tern.metrics.Metrics;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One import uploaded over HTTP: the pipe its body flows through, the ingest {@link ImportJob} reading
 * it, and what the status endpoint reports. The first {@link #LINES_PER_REASON} line numbers of each
 * rejection reason are kept for the report (a bad archive can have millions).
 */
final class HttpImport {
    static final int LINES_PER_REASON = 5;

    /** The one vocabulary of an import's state, in the status and in its report (README, Admin API). */
    enum State {
        UPLOADING, RUNNING, COMPLETE, TRUNCATED, FAILED;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    final String id;
    final BytePipe pipe;
    /** What is imported: the form's file name once its part has begun, else the request's name. */
    private volatile String source;
    private volatile ImportJob job;
    private final Map<RejectReason, List<Long>> firstLines = new EnumMap<>(RejectReason.class);
    private volatile boolean uploadComplete;
    private volatile String uploadError;
    private volatile ImportReport report;
    private final CompletableFuture<ImportReport> ended = new CompletableFuture<>();

    HttpImport(String id, String source, BytePipe pipe) {
        this.id = id;
        this.source = source;
        this.pipe = pipe;
    }

    void named(String name) {
        source = name;
    }

    String source() {
        return source;
    }

    void attach(ImportJob job) {
        this.job = job;
    }

    ImportJob job() {
        return job;
    }

    /** Told of each rejected line by the import (on the writer thread, in input order). */
    void rejected(List<ImportError> errors) {
        synchronized (firstLines) {
            for (ImportError e : errors) {
                Metrics.get().eventRejected(e.reason());
                List<Long> lines = firstLines.computeIfAbsent(e.reason(), r -> new ArrayList<>(LINES_PER_REASON));
                if (lines.size() < LINES_PER_REASON) lines.add(e.lineNumber());
            }
        }
    }

    void uploadEnded() {
        uploadComplete = true;
    }

    void uploadFailed(String why) {
        if (uploadError == null) uploadError = why;
    }

    void finished(ImportReport r) {
        report = r;
        ended.complete(r);
    }

    /** Completes with the report when the import has ended. */
    CompletableFuture<ImportReport> ended() {
        return ended;
    }

    State state() {
        ImportReport r = report;
        if (r != null) return r.failed() || uploadError != null ? State.FAILED : r.truncated() ? State.TRUNCATED : State.COMPLETE;
        return uploadComplete ? State.RUNNING : State.UPLOADING;
    }

    boolean finished() {
        return report != null;
    }

    String toJson() {
        return Json.string(this::writeJson);
    }

    /**
     * The status: the import's own fields at the top (id, source, state, error), the live figures under
     * "progress", and the final figures under "report" once it has ended (null before). Unknown values are null.
     */
    void writeJson(JsonGenerator g) throws IOException {
        ImportReport r = report;
        g.writeStartObject();
        g.writeStringField("id", id);
        g.writeStringField("source", source);
        g.writeStringField("state", state().label());
        g.writeStringField("error", uploadError != null ? uploadError : r != null ? r.error() : null);
        g.writeNumberField("upload_bytes", pipe.totalWritten());
        g.writeBooleanField("upload_complete", uploadComplete);
        g.writeObjectFieldStart("progress");
        job.progress().writeFields(g);
        g.writeEndObject();
        if (r == null) {
            g.writeNullField("report");
        } else {
            g.writeObjectFieldStart("report");
            r.writeFields(g);
            g.writeEndObject();
        }
        g.writeArrayFieldStart("rejected_lines");
        synchronized (firstLines) {
            for (Map.Entry<RejectReason, List<Long>> e : firstLines.entrySet()) {
                g.writeStartObject();
                g.writeStringField("reason", e.getKey().label());
                g.writeArrayFieldStart("first_lines");
                for (long line : e.getValue()) g.writeNumber(line);
                g.writeEndArray();
                g.writeEndObject();
            }
        }
        g.writeEndArray();
        g.writeEndObject();
    }
}
