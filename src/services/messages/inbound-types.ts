// The inbound message types On-Prem's webhooks carry (docs/api/webhooks.md#inbound-messages): what a sandbox
// customer may write, and what the received-message metrics count by type.
export const INBOUND_TYPES = [
  'text',
  'image',
  'audio',
  'voice',
  'video',
  'document',
  'sticker',
  'location',
  'contacts',
  'button',
  'interactive',
  'reaction',
  'system',
  'unknown',
] as const;
export type InboundType = (typeof INBOUND_TYPES)[number];
