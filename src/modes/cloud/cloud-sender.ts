// POST /v1/messages on the cloud gateway. Sends are synchronous to Graph: the body is validated exactly as on the
// sandbox (same 1001/2014/... answers), translated (translate.ts), posted to POST /{PNID}/messages, and only once
// Meta accepted it is the message row committed (id = Meta's wamid, direction out, status accepted) before the
// 201. A Graph refusal answers the translated error and stores nothing. Statuses arrive later through the inbound
// half's webhooks, keyed by that wamid.
//
// The commit is grouped per event-loop turn, as on the sandbox: at 1,000 sends/s one fsync serves dozens of rows.
import { classifyDatabaseError } from '../../lib/database-errors.js';
import type { CloudWaIdsRepository } from '../../db/repositories/cloud-wa-ids.js';
import type { MessageRow, MessagesRepository } from '../../db/repositories/messages.js';
import { ApiError } from '../../errors.js';
import type { Clock } from '../../lib/clock.js';
import { createGroupCommit } from '../../lib/group-commit.js';
import type { PhoneNumberReader, WaId } from '../../lib/phone.js';
import { validateOutboundMessage } from '../../services/messages/outbound.js';
import {
  checkMediaExists,
  resolveRecipient,
  acceptedRow,
  type MessageSender,
  type SendResult,
} from '../../services/messages/sender.js';
import { GraphCallError, type GraphClient } from './graph-client.js';
import { toCloudMessage } from './translate.js';

interface CloudSendAnswer {
  contacts?: { input?: string; wa_id?: string }[];
  messages?: { id?: string; message_status?: string }[];
}

export interface CloudSenderDeps {
  graph: GraphClient;
  phoneNumberId: string;
  messages: MessagesRepository;
  media: {
    missing(ids: readonly string[]): Promise<string[]>;
    cloudIds(ids: readonly string[]): Promise<Map<string, string>>;
  };
  waIds: CloudWaIdsRepository;
  phones: PhoneNumberReader;
  clock: Clock;
  businessWaId: string;
  checkRecipient?(waId: WaId): Promise<void> | undefined;
}

export function createCloudSender(deps: CloudSenderDeps): MessageSender {
  const commits = createGroupCommit<MessageRow>((rows) => deps.messages.insertSent(rows), {
    splittable: (error) => classifyDatabaseError(error) !== 'unavailable',
  });

  async function post(body: Record<string, unknown>): Promise<{ wamid: string; waId: string | undefined }> {
    const answer = await deps.graph
      .call<CloudSendAnswer>({ method: 'POST', path: `/${deps.phoneNumberId}/messages`, json: body })
      .catch((error: unknown) => {
        // Unanswered (timeout, cut connection) is not refused: Meta may have the message, so "retry" would be wrong.
        if (error instanceof GraphCallError && error.unanswered) {
          throw new GraphCallError(
            'serviceNotReady',
            `${error.details ?? error.message}; the message may have been sent: check its statuses before sending it again`,
            null,
            null,
            5,
          );
        }
        throw error;
      });
    const wamid = answer.messages?.[0]?.id;
    if (typeof wamid !== 'string' || wamid === '') {
      throw new ApiError(
        'serviceNotReady',
        'the Cloud API accepted the message without answering its id; check the message before sending it again',
        5,
      );
    }
    return { wamid, waId: answer.contacts?.[0]?.wa_id };
  }

  return {
    async send(requestBody: unknown): Promise<SendResult> {
      const message = validateOutboundMessage(requestBody);
      const recipient = resolveRecipient(deps.phones, deps.businessWaId, message.to);
      const refusal = deps.checkRecipient?.(recipient.waId);
      if (refusal) await refusal;
      await checkMediaExists(message, deps.media.missing);
      const cloudIds = await deps.media.cloudIds(message.mediaIds);
      const { wamid, waId: revealed } = await post(toCloudMessage(message, recipient.waId, (id) => cloudIds.get(id)!));
      const waId = revealed && /^\d{5,20}$/.test(revealed) ? revealed : recipient.waId;
      const now = deps.clock.now();
      // Meta has the message by now. Should this commit fail, the client gets the database error (1023) and may send
      // again: the one way a message can reach a customer twice on cloud. Sandbox sends have no such window.
      await commits.add(acceptedRow(wamid, waId, message, now));
      // Best effort (the next send reveals it again): the message is sent and stored, and a failure here must not
      // answer an error that invites a resend.
      if (waId !== recipient.waId) await deps.waIds.remember(recipient.waId, waId, now).catch(() => {});
      const result: SendResult = { messages: [{ id: wamid }] };
      if (recipient.fromPhoneNumber || waId !== message.to) result.contacts = [{ input: message.to, wa_id: waId }];
      return result;
    },
    flush: () => commits.flush(),
  };
}
