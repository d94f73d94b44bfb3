// Checks a file while it streams past, without holding it: counts its bytes against the rule's limit, hashes it,
// and judges its leading bytes before anything is passed on. A file that breaks the rule stops the stream with a
// MediaRejectedError at the first byte too many or at its signature, so a store never writes much of it.
import { createHash } from 'node:crypto';
import { SIGNATURE_BYTES } from '../../lib/media-signature.js';
import type { MediaRule } from './media-rules.js';

export type RejectionReason = 'empty' | 'too-large' | 'signature';

export class MediaRejectedError extends Error {
  constructor(
    readonly reason: RejectionReason,
    message: string,
  ) {
    super(message);
    this.name = 'MediaRejectedError';
  }
}

interface InspectedMedia {
  mimeType: string;
  sha256: string;
  size: number;
}

export interface Inspection {
  /** The file's bytes, passed on as they arrive once the signature is judged. Read it to the end. */
  readonly chunks: AsyncIterable<Buffer>;
  /** What the file turned out to be; only once `chunks` has been read to the end. */
  result(): InspectedMedia;
}

export function tooLargeMessage(rule: MediaRule): string {
  return `${rule.kind} files are limited to ${formatBytes(rule.maxBytes)} (${rule.maxBytes} bytes)`;
}

export function inspectMedia(source: AsyncIterable<Buffer | Uint8Array | string>, rule: MediaRule): Inspection {
  const hash = createHash('sha256');
  let size = 0;
  let mimeType: string | null = null;
  let final: InspectedMedia | null = null;

  function identify(head: Buffer): void {
    mimeType = rule.identify(head.subarray(0, SIGNATURE_BYTES));
    if (mimeType === null) throw new MediaRejectedError('signature', `the file's bytes are not ${rule.expected}`);
  }

  async function* chunks(): AsyncGenerator<Buffer> {
    let held: Buffer[] = [];
    let heldBytes = 0;
    for await (const piece of source) {
      const chunk =
        typeof piece === 'string' ? Buffer.from(piece) : Buffer.isBuffer(piece) ? piece : Buffer.from(piece);
      size += chunk.length;
      if (size > rule.maxBytes) throw new MediaRejectedError('too-large', tooLargeMessage(rule));
      hash.update(chunk);
      if (mimeType !== null) {
        yield chunk;
        continue;
      }
      held.push(chunk);
      heldBytes += chunk.length;
      if (heldBytes < SIGNATURE_BYTES) continue;
      identify(Buffer.concat(held));
      yield* held;
      held = [];
    }
    if (size === 0) throw new MediaRejectedError('empty', 'the file is empty');
    if (mimeType === null) {
      identify(Buffer.concat(held));
      yield* held;
    }
    final = { mimeType: mimeType as string, sha256: hash.digest('hex'), size };
  }

  return {
    chunks: chunks(),
    result() {
      if (!final) throw new Error('the inspection was read before the file ended');
      return final;
    },
  };
}

function formatBytes(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KB`;
  return `${bytes} bytes`;
}
