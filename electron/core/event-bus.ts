import type { EventName, EventPayload } from '../../shared/api';

export type EventSink = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

export class EventBus {
  private readonly sinks = new Set<EventSink>();

  subscribe(sink: EventSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }

  emit: EventSink = (event, payload) => {
    for (const sink of this.sinks) sink(event, payload);
  };
}
