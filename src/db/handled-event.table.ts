/** Deliveries already acted on, for commands whose effect must not repeat when an event is re-delivered. */
export interface HandledEventTable {
  event_key: string;
  handled_at: number;
}
