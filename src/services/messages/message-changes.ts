// Messages whose rows a committed transaction created or moved on (a status, an inbound message read), as the
// messages repository reports them: the source of the console's live views (src/services/live/).

/** One message, by the customer whose conversation it is in. */
export interface ChangedMessage {
  readonly waId: string;
  readonly id: string;
}

/** Told once a transaction that changed messages has committed; on the send path, so it must cost next to nothing. */
export interface MessageChanges {
  committed(changes: readonly ChangedMessage[]): void;
}

export const ignoreMessageChanges: MessageChanges = { committed() {} };
