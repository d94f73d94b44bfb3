// A fake of Meta's Graph API (Cloud API) for the cloud gateway's tests and benchmark: a real HTTP server on
// loopback. It checks the Bearer token, checks request bodies against Meta's published schema
// (fake-graph-schema.ts), answers as Meta does (success bodies, error envelopes with fbtrace_id, throttling, media
// URLs that expire), records every request, and serves media bytes at short-lived URLs that need the token. Given
// a node's webhook URL (`webhookTarget`, off by default) it also plays Meta's webhooks (fake-graph-webhooks.ts):
// statuses after each accepted send, and customers' messages posted at its control door, POST /fake/inbound.
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadGraphSchemas, type CheckedOperation } from './fake-graph-schema.js';
import {
  createWebhookPoster,
  CustomerMessageError,
  type CustomerMessage,
  type PostedWebhook,
  type WebhookTarget,
} from './fake-graph-webhooks.js';

export const FAKE_TOKEN = 'EAAfakeGraphToken0123456789abcdef';
export const FAKE_PNID = '106540352242922';
const FAKE_WABA_ID = '102290129340398';
export const FAKE_APP_ID = '123456789012345';
export const FAKE_APP_SECRET = 'fakeappsecret0123456789';
const FAKE_BUSINESS_NUMBER = '16315550000';

type Operation =
  | 'sendMessage'
  | 'markRead'
  | 'uploadMedia'
  | 'getMediaUrl'
  | 'downloadMedia'
  | 'deleteMedia'
  | 'getPhoneNumber'
  | 'updatePhoneNumber'
  | 'getProfile'
  | 'updateProfile'
  | 'requestCode'
  | 'verifyCode'
  | 'register'
  | 'createUploadSession'
  | 'uploadFile'
  | 'downloadPublic';

interface RecordedRequest {
  operation: Operation | 'unknown';
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON, or the multipart fields (file as { type, size, sha256 }), or null. */
  body: any;
}

interface MetaError {
  status?: number;
  code: number;
  message?: string;
  details?: string;
  subcode?: number;
}

interface StoredMedia {
  id: string;
  mimeType: string;
  bytes: Buffer;
  sha256: string;
}

export interface FakeGraph {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Bodies that broke Meta's schema (each also answered 400 / 100, as Graph does). Tests expect it empty. */
  readonly schemaViolations: string[];
  readonly media: Map<string, StoredMedia>;
  /** The phone number's fields (GET /{PNID}); change them to move health. */
  phoneNumber: Record<string, unknown>;
  profile: Record<string, unknown>;
  /** Send answers reveal this wa_id for a number as sent (BR/MX numbers differ). */
  revealWaId: Map<string, string>;
  /** The next `times` calls of `operation` answer Meta's error envelope. */
  failNext(operation: Operation, error: MetaError, times?: number): void;
  /** Stores a media file as if a customer had sent it; answers its Cloud id. */
  addMedia(bytes: Buffer, mimeType: string): string;
  /** Every media URL handed out so far stops working (Meta's URLs last about 5 minutes). */
  expireMediaUrls(): void;
  of(operation: Operation): RecordedRequest[];
  /** Where Meta's webhooks go (a node's /cloud/webhook); null, the default: the fake posts none. */
  webhookTarget: WebhookTarget | null;
  /** Every webhook posted, with the node's answer (none kept without `record`). */
  readonly postedWebhooks: PostedWebhook[];
  /** A customer writes to the business (as POST /fake/inbound): posts Meta's webhook, answers the wamid. */
  customerWrites(message: CustomerMessage): Promise<{ id: string; posted: PostedWebhook }>;
  /** Resolves once every webhook queued so far was posted. */
  webhooksSettled(): Promise<void>;
  close(): Promise<void>;
}

export interface FakeGraphOptions {
  /** Added before every answer, as Graph's own latency (the benchmark). */
  delayMs?: number;
  /** Keep no request log (the benchmark: millions of sends). */
  record?: boolean;
  /** 0 (default): any free port. */
  port?: number;
  /** Post Meta's webhooks to this node from the start (else set `webhookTarget` later; none by default). */
  webhookTarget?: WebhookTarget;
  /** Told of each webhook the node did not answer with a 2xx. */
  onWebhookFailure?(posted: PostedWebhook): void;
}

/** The WA_CLOUD_* environment of a node pointed at this fake; the business number is +1 631-555-0000. */
export function cloudEnv(fake: Pick<FakeGraph, 'url'>, extra: Record<string, string> = {}): Record<string, string> {
  return {
    WA_GATEWAY: 'cloud',
    WA_CLOUD_ACCESS_TOKEN: FAKE_TOKEN,
    WA_CLOUD_PHONE_NUMBER_ID: FAKE_PNID,
    WA_CLOUD_WABA_ID: FAKE_WABA_ID,
    WA_CLOUD_BUSINESS_NUMBER: `+${FAKE_BUSINESS_NUMBER}`,
    WA_CLOUD_APP_SECRET: FAKE_APP_SECRET,
    WA_CLOUD_VERIFY_TOKEN: 'fake-verify-token',
    WA_CLOUD_APP_ID: FAKE_APP_ID,
    WA_CLOUD_BASE_URL: fake.url,
    // Throttled calls are retried after 1, 2, 4 ms here: the retries are real, the waits tiny.
    WA_CLOUD_THROTTLE_BACKOFF_MS: '1',
    ...extra,
  };
}

const THROTTLE_MESSAGES: Record<number, string> = {
  130429: 'Rate limit hit',
  131056: '(Business Account, Consumer Account) pair rate limit hit',
};

export async function startFakeGraph(options: FakeGraphOptions = {}): Promise<FakeGraph> {
  const schemas = loadGraphSchemas();
  const requests: RecordedRequest[] = [];
  const schemaViolations: string[] = [];
  const media = new Map<string, StoredMedia>();
  const failures = new Map<Operation, { error: MetaError; times: number }>();
  const liveUrls = new Map<string, string>();
  const uploadSessions = new Set<string>();
  // Resumable uploads: handle → bytes; a profile picture set from a handle is served at a public URL (no token).
  const handles = new Map<string, Buffer>();
  const publicFiles = new Map<string, Buffer>();
  let base = '';
  const webhooks = createWebhookPoster({
    target: () => fake.webhookTarget,
    phoneNumberId: FAKE_PNID,
    wabaId: FAKE_WABA_ID,
    businessNumber: FAKE_BUSINESS_NUMBER,
    record: options.record !== false,
    ...(options.onWebhookFailure ? { onFailure: options.onWebhookFailure } : {}),
  });
  const fake: FakeGraph = {
    get url() {
      return base;
    },
    requests,
    schemaViolations,
    media,
    phoneNumber: {
      id: FAKE_PNID,
      status: 'CONNECTED',
      quality_rating: 'GREEN',
      code_verification_status: 'VERIFIED',
      platform_type: 'CLOUD_API',
      health_status: { can_send_message: 'AVAILABLE' },
    },
    profile: { about: 'Hello from the fake', address: '', description: '', email: '', vertical: 'OTHER', websites: [] },
    revealWaId: new Map(),
    failNext(operation, error, times = 1) {
      if (times <= 0) failures.delete(operation);
      else failures.set(operation, { error, times });
    },
    addMedia(bytes, mimeType) {
      const id = String(1e15 + Math.floor(Math.random() * 1e15));
      media.set(id, { id, mimeType, bytes, sha256: createHash('sha256').update(bytes).digest('hex') });
      return id;
    },
    expireMediaUrls() {
      liveUrls.clear();
    },
    of: (operation) => requests.filter((r) => r.operation === operation),
    webhookTarget: options.webhookTarget ?? null,
    postedWebhooks: webhooks.posted,
    customerWrites: (message) => webhooks.customerWrites(message),
    webhooksSettled: () => webhooks.settled(),
    close: async () => {
      await webhooks.settled();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };

  function metaError(response: http.ServerResponse, error: MetaError): void {
    const body = {
      error: {
        message: error.message ?? `(#${error.code}) ${THROTTLE_MESSAGES[error.code] ?? 'Fake Graph error'}`,
        type: 'OAuthException',
        code: error.code,
        ...(error.subcode !== undefined ? { error_subcode: error.subcode } : {}),
        error_data: { messaging_product: 'whatsapp', details: error.details ?? 'injected by the fake Graph server' },
        fbtrace_id: `Afake${randomBytes(8).toString('hex')}`,
      },
    };
    json(response, error.status ?? 400, body);
  }

  function injected(operation: Operation): MetaError | null {
    const failure = failures.get(operation);
    if (!failure) return null;
    if (--failure.times <= 0) failures.delete(operation);
    return failure.error;
  }

  function checked(operation: CheckedOperation, body: unknown, response: http.ServerResponse): boolean {
    const problem = schemas.check(operation, body);
    if (problem === null) return true;
    schemaViolations.push(`${operation}: ${problem}`);
    metaError(response, { code: 100, message: '(#100) Invalid parameter', details: problem });
    return false;
  }

  // Business compliance information, GET/POST /{PNID}/business_compliance_info (Meta keeps one per number): a POST
  // body is checked against Meta's BusinessComplianceInfoUpdateRequest and kept; GET answers it as Meta's examples
  // do (entity types in words, null fields, is_registered false), or the "minimal" answer before any POST.
  const WORDS: Record<string, string> = {
    LIMITED_LIABILITY_PARTNERSHIP: 'Limited Liability Partnership',
    SOLE_PROPRIETORSHIP: 'Sole Proprietorship',
    PARTNERSHIP: 'Partnership',
    PUBLIC_COMPANY: 'Public Company',
    PRIVATE_COMPANY: 'Private Company',
    OTHER: 'Other',
  };
  let complianceInfo: Record<string, any> | null = null;
  function answerComplianceInfo(
    method: string,
    raw: Buffer,
    record: RecordedRequest,
    response: http.ServerResponse,
  ): void {
    if (method === 'GET') {
      const empty = {
        entity_name: null,
        entity_type: null,
        entity_type_custom: null,
        is_registered: false,
        grievance_officer_details: null,
        customer_care_details: null,
      };
      const known = complianceInfo && {
        ...empty,
        ...complianceInfo,
        entity_type: WORDS[complianceInfo.entity_type] ?? complianceInfo.entity_type,
      };
      return json(response, 200, {
        data: [{ whatsapp_business_account_id: FAKE_WABA_ID, messaging_product: 'whatsapp', ...(known ?? empty) }],
      });
    }
    if (method !== 'POST') return metaError(response, { code: 100, message: `(#100) Unsupported ${method} request` });
    record.body = parseJson(raw);
    if (!checked('updateComplianceInfo', record.body, response)) return;
    const { messaging_product: _product, ...info } = record.body;
    complianceInfo = info;
    json(response, 200, { success: true });
  }

  async function handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', base);
    const raw = await readBody(request);
    const record: RecordedRequest = {
      operation: 'unknown',
      method: request.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: request.headers,
      body: null,
    };
    if (options.record !== false) requests.push(record);
    if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    if (url.pathname.startsWith('/public/')) {
      record.operation = 'downloadPublic';
      const file = publicFiles.get(url.pathname);
      if (!file) return void response.writeHead(404).end();
      return void response.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': file.length }).end(file);
    }
    if (url.pathname === '/fake/inbound' && request.method === 'POST') return customerWrites(raw, response);
    if (request.headers.authorization !== `Bearer ${FAKE_TOKEN}`) {
      return metaError(response, {
        status: 401,
        code: 190,
        message: 'Invalid OAuth access token - Cannot parse access token',
      });
    }
    if (url.pathname.startsWith('/media-bytes/')) return serveBytes(url, record, response);
    const [, version, id, edge] = url.pathname.split('/');
    if (!/^v\d+\.\d$/.test(version ?? ''))
      return metaError(response, { status: 400, code: 2500, message: 'Unknown path components' });
    if (id === FAKE_PNID && edge === 'business_compliance_info')
      return answerComplianceInfo(request.method ?? 'GET', raw, record, response);
    const route = routeOf(request.method ?? 'GET', id ?? '', edge);
    record.operation = route;
    if (route === 'unknown')
      return metaError(response, {
        code: 100,
        message: `(#100) Unsupported ${request.method} request. Object with ID '${id}' does not exist`,
      });
    if (route === 'uploadMedia') record.body = await multipartFields(request, raw);
    else if (raw.length > 0 && route !== 'uploadFile') record.body = parseJson(raw);
    const error = injected(route);
    if (error) return metaError(response, error);
    return answer(route, id!, record, raw, response);
  }

  function routeOf(method: string, id: string, edge: string | undefined): Operation | 'unknown' {
    if (id === FAKE_PNID) {
      if (edge === undefined) return method === 'GET' ? 'getPhoneNumber' : 'updatePhoneNumber';
      if (edge === 'messages' && method === 'POST') return 'sendMessage';
      if (edge === 'media' && method === 'POST') return 'uploadMedia';
      if (edge === 'whatsapp_business_profile') return method === 'GET' ? 'getProfile' : 'updateProfile';
      if (edge === 'request_code') return 'requestCode';
      if (edge === 'verify_code') return 'verifyCode';
      if (edge === 'register') return 'register';
      return 'unknown';
    }
    if (id === FAKE_APP_ID && edge === 'uploads' && method === 'POST') return 'createUploadSession';
    if (uploadSessions.has(id) && method === 'POST') return 'uploadFile';
    // /{Version}/{Media-ID}: told apart from other ids by the id itself (item 3 in fake-graph-schema.ts).
    if (media.has(id) && edge === undefined)
      return method === 'GET' ? 'getMediaUrl' : method === 'DELETE' ? 'deleteMedia' : 'unknown';
    return 'unknown';
  }

  function answer(
    route: Operation,
    id: string,
    record: RecordedRequest,
    raw: Buffer,
    response: http.ServerResponse,
  ): void {
    const body = record.body;
    switch (route) {
      case 'sendMessage': {
        if (body?.status === 'read') {
          record.operation = 'markRead';
          if (checked('markRead', body, response)) json(response, 200, { success: true });
          return;
        }
        if (!checked('sendMessage', body, response)) return;
        const waId = fake.revealWaId.get(body.to) ?? String(body.to).replace(/\D/g, '');
        const message: Record<string, string> = { id: `wamid.${randomBytes(24).toString('base64url')}` };
        if (body.type === 'template') message.message_status = 'accepted';
        json(response, 200, {
          messaging_product: 'whatsapp',
          contacts: [{ input: body.to, wa_id: waId }],
          messages: [message],
        });
        return webhooks.statusesOf(body, message.id!, waId);
      }
      case 'uploadMedia': {
        const file = body?.file;
        if (!file || body.messaging_product !== 'whatsapp' || !body.type) {
          return metaError(response, { code: 100, message: '(#100) The parameter messaging_product is required.' });
        }
        const id = fake.addMedia(file.bytes, body.type);
        return json(response, 200, { id });
      }
      case 'getMediaUrl': {
        const stored = media.get(id)!;
        const token = randomBytes(12).toString('hex');
        liveUrls.set(token, id);
        return json(response, 200, {
          url: `${base}/media-bytes/${id}?token=${token}`,
          mime_type: stored.mimeType,
          sha256: stored.sha256,
          file_size: String(stored.bytes.length),
          id,
          messaging_product: 'whatsapp',
        });
      }
      case 'deleteMedia':
        media.delete(id);
        return json(response, 200, { success: true });
      case 'getPhoneNumber':
        return json(response, 200, fake.phoneNumber);
      case 'getProfile':
        return json(response, 200, { data: [{ ...fake.profile, messaging_product: 'whatsapp' }] });
      case 'updateProfile':
        if (!checked('updateProfile', body, response)) return;
        Object.assign(fake.profile, body);
        if (typeof body.profile_picture_handle === 'string') {
          const path = `/public/${randomBytes(8).toString('hex')}.jpg`;
          publicFiles.set(path, handles.get(body.profile_picture_handle) ?? Buffer.alloc(0));
          fake.profile.profile_picture_url = `${base}${path}`;
        }
        return json(response, 200, { success: true });
      case 'updatePhoneNumber':
        if (checked('updatePhoneNumber', body, response)) json(response, 200, { success: true });
        return;
      case 'requestCode':
      case 'verifyCode':
      case 'register':
        if (checked(route, body, response)) json(response, 200, { success: true });
        return;
      case 'createUploadSession': {
        const session = `upload:${randomBytes(8).toString('hex')}`;
        uploadSessions.add(session);
        return json(response, 200, { id: session });
      }
      case 'uploadFile': {
        record.body = { size: raw.length, offset: record.headers.file_offset };
        const handle = `4::${randomBytes(16).toString('base64url')}`;
        handles.set(handle, raw);
        return json(response, 200, { h: handle });
      }
      default:
        return metaError(response, { code: 100 });
    }
  }

  /** The control door: a customer's message as JSON in, Meta's webhook out; answers the wamid and the node's answer. */
  async function customerWrites(raw: Buffer, response: http.ServerResponse): Promise<void> {
    let input: unknown;
    try {
      input = JSON.parse(raw.toString('utf8'));
    } catch {
      input = null;
    }
    if (typeof input !== 'object' || input === null || Array.isArray(input))
      return json(response, 400, { error: 'the body must be a JSON object: {"from", "name"?, "text"}' });
    try {
      const { id, posted } = await fake.customerWrites(input as CustomerMessage);
      const node = { status: posted.status, ...(posted.error ? { error: posted.error } : {}) };
      return json(response, posted.status !== null && posted.status < 300 ? 200 : 502, { id, node });
    } catch (error) {
      if (error instanceof CustomerMessageError) return json(response, 400, { error: error.message });
      throw error;
    }
  }

  function serveBytes(url: URL, record: RecordedRequest, response: http.ServerResponse): void {
    record.operation = 'downloadMedia';
    const id = liveUrls.get(url.searchParams.get('token') ?? '');
    const stored = id === undefined ? undefined : media.get(id);
    // An expired or unknown URL: Meta answers 404 (401 for a URL of another app).
    if (!stored) return void response.writeHead(404, { 'content-type': 'text/plain' }).end('URL signature expired');
    response
      .writeHead(200, { 'content-type': stored.mimeType, 'content-length': stored.bytes.length })
      .end(stored.bytes);
  }

  const server = http.createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500).end(String(error));
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

function json(response: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response
    .writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
    .end(text);
}

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return { unparsable: raw.toString('utf8').slice(0, 200) };
  }
}

async function readBody(request: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The multipart form, read by the platform's own parser (a malformed body fails as it would at Meta). */
async function multipartFields(request: http.IncomingMessage, raw: Buffer): Promise<Record<string, unknown>> {
  const form = await new Response(raw, {
    headers: { 'content-type': String(request.headers['content-type']) },
  }).formData();
  const fields: Record<string, unknown> = {};
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string') fields[name] = value;
    else {
      const bytes = Buffer.from(await value.arrayBuffer());
      fields[name] = {
        type: value.type,
        size: bytes.length,
        bytes,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      };
    }
  }
  return fields;
}
