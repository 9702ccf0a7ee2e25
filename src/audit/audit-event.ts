/** What every audit event says, whatever the sink: the go-micro event's fields before encoding. */
export interface AuditEvent {
  /** UUID: the envelope ID, `eventid` and the JetStream `Nats-Msg-Id`. */
  id: string;
  /** `events.<Type>`, as Go's reflect names reva's event types. */
  type: string;
  timestamp: Date;
  /** oCIS's initiator id (the client that caused the event); empty when unknown. */
  initiatorId: string;
  /** W3C traceparent of the request that caused the event. */
  traceparent: string;
  /** The event payload, shaped as Go's JSON of the event struct (PascalCase, CS3 snake_case). */
  payload: Record<string, unknown>;
}

/** The JetStream subject and stream oCIS's services publish and consume events on. */
export const MAIN_QUEUE = 'main-queue';

/** go-micro's `events.Event` as Go marshals it (no json tags, so PascalCase field names). */
export interface EventEnvelope {
  ID: string;
  Topic: string;
  Payload: string;
  Timestamp: string;
  Metadata: {
    eventtype: string;
    eventid: string;
    initiatorid: string;
    traceparent: string;
  };
}

export function envelopeOf(event: AuditEvent): EventEnvelope {
  return {
    ID: event.id,
    Topic: MAIN_QUEUE,
    Payload: Buffer.from(JSON.stringify(event.payload), 'utf8').toString('base64'),
    Timestamp: event.timestamp.toISOString(),
    Metadata: {
      eventtype: event.type,
      eventid: event.id,
      initiatorid: event.initiatorId,
      traceparent: event.traceparent,
    },
  };
}

/** The payload of an envelope (what a consumer does to read it). */
export function payloadOf(envelope: EventEnvelope): unknown {
  return JSON.parse(Buffer.from(envelope.Payload, 'base64').toString('utf8')) as unknown;
}
