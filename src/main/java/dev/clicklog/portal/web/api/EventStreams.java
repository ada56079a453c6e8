package dev.clicklog.portal.web.api;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import dev.clicklog.portal.observe.ObserveConfig;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * Server-Sent Events that a client and the proxies between can tell are alive: the stream opens with
 * a comment, so the response starts at once rather than with the first item, and a comment follows
 * every {@code clicklog.observe.records.feed-heartbeat} while nothing else is sent, so idle
 * connections are not cut. Each viewer gets its own buffer: one that reads slowly holds back only
 * itself, and fails alone when it falls {@value #BUFFERED} events behind.
 */
@ApplicationScoped
public class EventStreams {

    /** Events one viewer may have waiting before its stream fails (it may reconnect with {@code since}). */
    static final int BUFFERED = 2_000;

    private final Duration heartbeat;

    EventStreams(ObserveConfig config) {
        this.heartbeat = config.records().feedHeartbeat();
    }

    /**
     * {@code items} as events (their data serialised as the resource method's stream element type),
     * after an opening comment and with heartbeat comments; ends when {@code items} ends, and stops
     * following them when the client goes away.
     */
    public Multi<OutboundSseEvent> of(Sse sse, Multi<?> items) {
        return Multi.createFrom().<OutboundSseEvent> emitter(out -> {
            out.emit(sse.newEventBuilder().comment("open").build());
            Cancellable beats = Multi.createFrom().ticks().startingAfter(heartbeat).every(heartbeat)
                    .onOverflow().drop()
                    .subscribe().with(tick -> out.emit(sse.newEventBuilder().comment("heartbeat").build()));
            Cancellable following = items.subscribe().with(
                    item -> out.emit(sse.newEventBuilder().data(item).build()),
                    failure -> {
                        beats.cancel();
                        out.fail(failure);
                    },
                    () -> {
                        beats.cancel();
                        out.complete();
                    });
            out.onTermination(() -> {
                beats.cancel();
                following.cancel();
            });
        }, BUFFERED);
    }
}
