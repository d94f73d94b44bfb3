// The webhook delivery log as the console reads it (/x/v1/webhooks/deliveries…): pages of deliveries, one with its
// attempts, and replays. A replay writes pending rows, so it tells `onReplayed` (the dispatcher wakes).
import type { DeliveryFilter, WebhookKind, WebhookOutboxRepository } from '../db/repositories/webhook-outbox.js';
import type { Clock } from '../lib/clock.js';

export type { WebhookKind };

type Outbox = Pick<WebhookOutboxRepository, 'list' | 'findByDeliveryId' | 'attemptsOf' | 'replay' | 'replayFailed'>;

interface WebhookDeliveriesDeps {
  outbox: Outbox;
  clock: Clock;
  onReplayed: () => void;
}

export function createWebhookDeliveries({ outbox, clock, onReplayed }: WebhookDeliveriesDeps) {
  return {
    /** Newest first, filtered by state and kind, paged by id. */
    list: (filter: DeliveryFilter) => outbox.list(filter),

    /** One delivery and every attempt at it; null when the id is unknown. */
    async find(deliveryId: string) {
      const delivery = await outbox.findByDeliveryId(deliveryId);
      if (!delivery) return null;
      return { delivery, attempts: await outbox.attemptsOf(Number(delivery.id)) };
    },

    /** Sends one delivery again now, whatever its state; false when the id is unknown. */
    async replay(deliveryId: string): Promise<boolean> {
      const found = await outbox.replay(deliveryId, clock.now());
      if (found) onReplayed();
      return found;
    },

    /** Every failed delivery becomes pending again; answers how many. */
    async replayFailed(): Promise<number> {
      const replayed = await outbox.replayFailed(clock.now());
      onReplayed();
      return replayed;
    },
  };
}

export type WebhookDeliveries = ReturnType<typeof createWebhookDeliveries>;
/** A delivery as the log lists it. */
export type DeliveryRow = Awaited<ReturnType<WebhookDeliveries['list']>>[number];
