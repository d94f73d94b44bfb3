// The certificates of /v1/certificates (docs/api/certificates.md), shared by every node on the database.
// - external: the key and chain the HTTPS server presents; read at start-up (src/tls/server-tls.ts), so a new
//   upload is served after a restart, as the old API's documentation says.
// - webhooks CA: the bundle the webhook dispatcher trusts besides the usual roots. Unlike On-Prem, which needed
//   every Coreapp restarted, it applies at once on the node that took the upload, and on the others within
//   `refreshMs`, the interval at which they re-read the application settings.
import type { CertificatesRepository } from '../db/repositories/certificates.js';
import type { Clock } from '../lib/clock.js';
import { ok, type Result } from '../lib/result.js';
import { parseCaBundle, parseExternalUpload, readStoredExternal } from '../tls/certificate-uploads.js';
import { certificatesToPem } from '../tls/pem.js';
import { periodicRefresh } from '../lib/periodic-refresh.js';

export interface CertificatesServiceDeps {
  repository: CertificatesRepository;
  clock: Clock;
  refreshMs: number;
  /** The CA of the self-signed certificate this node made (WA_TLS=self-signed); null otherwise. */
  selfSignedCa: string | null;
  log?: { warn(obj: object, message: string): void };
  /** Tells the other nodes that the webhooks CA changed (they re-read it at once). */
  announce?: () => void;
}

/** Called with the bundle now in force (null: none) whenever it changes, whichever node changed it. */
export type WebhooksCaListener = (bundle: string | null) => void;

export function createCertificatesService({
  repository,
  clock,
  refreshMs,
  selfSignedCa,
  log,
  announce,
}: CertificatesServiceDeps) {
  const listeners = new Set<WebhooksCaListener>();
  let webhooksCa: string | null = null;
  // Bumped by every local write, so that a refresh which read the row before the write cannot undo it here.
  let generation = 0;

  function adopt(bundle: string | null): void {
    if (bundle === webhooksCa) return;
    webhooksCa = bundle;
    for (const listener of listeners) {
      try {
        listener(bundle);
      } catch (error) {
        log?.warn({ err: error }, 'a webhooks CA listener failed');
      }
    }
  }

  async function refresh(): Promise<void> {
    const started = generation;
    const row = await repository.read('webhooks_ca');
    if (started === generation) adopt(row?.pem ?? null);
  }

  const refresher = periodicRefresh(refresh, refreshMs, (error) =>
    log?.warn({ err: error }, 'could not re-read the webhooks CA; keeping the last one'),
  );
  return {
    /** Validates and stores the key, certificate and intermediates; served from the next start on. */
    async uploadExternal(text: string | undefined): Promise<Result<void>> {
      const parsed = parseExternalUpload(text, clock.now());
      if (!parsed.ok) return parsed;
      await repository.write('external', parsed.value.pem, clock.now());
      return ok(undefined);
    },

    /** The CA certificates of the uploaded certificate (its intermediates), else the self-signed CA, else null. */
    async externalCa(): Promise<string | null> {
      const row = await repository.read('external');
      if (!row) return selfSignedCa;
      try {
        return certificatesToPem(readStoredExternal(row.pem).chain.slice(1));
      } catch (error) {
        log?.warn({ err: error }, 'the stored external certificate cannot be read');
        return selfSignedCa;
      }
    },

    /** The stored bundle, read from the database so that an admin sees any node's last change. */
    async webhooksCa(): Promise<string | null> {
      return (await repository.read('webhooks_ca'))?.pem ?? null;
    },

    async setWebhooksCa(text: string | undefined): Promise<Result<void>> {
      const parsed = parseCaBundle(text, clock.now());
      if (!parsed.ok) return parsed;
      await repository.write('webhooks_ca', parsed.value.pem, clock.now());
      generation++;
      adopt(parsed.value.pem);
      announce?.();
      return ok(undefined);
    },

    async deleteWebhooksCa(): Promise<void> {
      await repository.delete('webhooks_ca');
      generation++;
      adopt(null);
      announce?.();
    },

    /** The bundle in force on this node, from memory. */
    currentWebhooksCa: (): string | null => webhooksCa,

    onWebhooksCaChange(listener: WebhooksCaListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    /** Reads the stored bundle; called at start-up, before the first webhook pass. */
    load: () => refresh(),

    refresh,

    start: refresher.start,
    stop: refresher.stop,
  };
}

export type CertificatesService = ReturnType<typeof createCertificatesService>;
