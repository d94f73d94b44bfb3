// Every call to Meta's Graph API goes through here: one keep-alive connection pool bounded by
// WA_CLOUD_MAX_CONNECTIONS, a per-call deadline, the Bearer token added on the way out and kept out of everything
// that comes back (errors, logs), Meta's error envelope translated into the On-Prem catalogue
// (docs/api/cloud-bridge.md#errors), and Cloud throttling retried with exponential backoff before it is surfaced
// as 429 / 1015.
//
// undici, not fetch: its Agent gives the connection bound and keep-alive directly, and `request` answers a stream
// we can hand straight to a client (media downloads) without a Web-stream conversion. Nothing here blocks the
// event loop: the body of every answer is read asynchronously and JSON bodies are small (a send answer is ~200 B).
import { setTimeout as delay } from 'node:timers/promises';
import { Agent, request, type Dispatcher } from 'undici';
import type { CloudConfig } from '../../config.js';
import { ApiError } from '../../errors.js';
import { graphThrottleRetry } from '../../lib/backoff.js';
import { CREDENTIAL_CODES, describeCloudError, THROTTLING_CODES, translateCloudCode } from './error-map.js';

export interface GraphCall {
  method: 'GET' | 'POST' | 'DELETE';
  /** After the version: `/${phoneNumberId}/messages`. */
  path: string;
  query?: Record<string, string>;
  json?: unknown;
  /** A raw body (multipart uploads, resumable uploads); `length` becomes Content-Length when known. */
  body?: { stream: AsyncIterable<Buffer> | Buffer; contentType: string; length?: number };
  headers?: Record<string, string>;
}

/** A failed Graph call, already in On-Prem terms; `cloudCode` lets a caller react to one Meta code (133010, 100). */
export class GraphCallError extends ApiError {
  constructor(
    kind: ConstructorParameters<typeof ApiError>[0],
    details: string,
    readonly cloudCode: number | null,
    readonly httpStatus: number | null,
    retryAfterSeconds?: number,
  ) {
    super(kind, details, retryAfterSeconds);
    this.name = 'GraphCallError';
  }

  /** What Meta said when it refused our own token: for the operator's log, never for the integration. */
  operatorDetails?: string;

  /** Meta's trace id of the failed call, which its support asks for. */
  fbtraceId?: string;

  /** No answer came back: Meta may have done what was asked (a send may have gone out). */
  get unanswered(): boolean {
    return this.httpStatus === null;
  }
}

export interface GraphDownload {
  statusCode: number;
  contentType: string | undefined;
  contentLength: number | undefined;
  /** undici's body: a Readable that can also be read whole (arrayBuffer, text). */
  body: Dispatcher.ResponseData['body'];
}

export interface GraphClientOptions {
  /** Tests replace the wait between throttled attempts. */
  sleep?: (ms: number) => Promise<void>;
  /** Called once per throttled answer that is retried (metrics, logs). */
  onThrottled?: (cloudCode: number, attempt: number) => void;
  /** Meta refused our access token (Cloud 0 / 190): an operator alert, with Meta's words and fbtrace_id. */
  onCredentialsRefused?: (metaSaid: string) => void;
  /** Any other error Meta answered and that is not retried, with Meta's words (the token, if quoted, removed). */
  onMetaError?: (call: Pick<GraphCall, 'method' | 'path'>, failure: GraphCallError, metaSaid: string) => void;
  /** Called once per Graph call (media downloads included) with its outcome and duration. */
  observe?: (result: 'ok' | 'meta_error' | 'unreachable', seconds: number) => void;
}

interface MetaErrorEnvelope {
  error?: {
    message?: string;
    type?: string;
    code?: number;
    error_subcode?: number;
    error_data?: { details?: string };
    fbtrace_id?: string;
  };
}

export function createGraphClient(config: CloudConfig, options: GraphClientOptions = {}) {
  // Keep-alive for 30 s: Graph's own idle timeout is longer, and a send every few seconds then never reconnects.
  const agent = new Agent({
    connections: config.maxConnections,
    keepAliveTimeout: 30_000,
    headersTimeout: config.timeoutMs,
    bodyTimeout: config.timeoutMs,
    connectTimeout: config.timeoutMs,
  });
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  const throttleRetry = graphThrottleRetry(config.throttleBackoffMs);
  const authorization = `Bearer ${config.accessToken}`;

  const withoutToken = (text: string) => text.replaceAll(config.accessToken, '<WA_CLOUD_ACCESS_TOKEN>');

  function urlOf(call: GraphCall): string {
    const query = call.query ? `?${new URLSearchParams(call.query).toString()}` : '';
    return `${config.baseUrl}/${config.apiVersion}${call.path}${query}`;
  }

  async function attempt(call: GraphCall): Promise<Dispatcher.ResponseData> {
    const headers: Record<string, string> = { authorization, ...call.headers };
    let body: Dispatcher.DispatchOptions['body'];
    if (call.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(call.json);
    } else if (call.body) {
      headers['content-type'] = call.body.contentType;
      if (call.body.length !== undefined) headers['content-length'] = String(call.body.length);
      body = call.body.stream as Dispatcher.DispatchOptions['body'];
    }
    return send(urlOf(call), { method: call.method, headers, body }, call.body === undefined);
  }

  /**
   * One HTTP exchange with Graph, timed; its body is left to the caller. `deadline`: the whole exchange is bound by
   * WA_CLOUD_TIMEOUT_MS. Media transfers (100 MB may take minutes) are not: the pool's headers and body timeouts
   * still end one that stalls for that long between chunks.
   */
  async function send(
    url: string,
    init: Pick<Dispatcher.RequestOptions, 'method' | 'headers' | 'body'>,
    deadline: boolean,
  ): Promise<Dispatcher.ResponseData> {
    const started = performance.now();
    try {
      const response = await request(url, {
        ...init,
        dispatcher: agent,
        ...(deadline ? { signal: AbortSignal.timeout(config.timeoutMs) } : {}),
      });
      observe(response.statusCode < 400 ? 'ok' : 'meta_error', started);
      return response;
    } catch (error) {
      observe('unreachable', started);
      throw unreachable(error);
    }
  }

  function observe(result: 'ok' | 'meta_error' | 'unreachable', started: number): void {
    options.observe?.(result, (performance.now() - started) / 1000);
  }

  return {
    /** One Graph call answered with JSON; throttled answers are retried up to WA_CLOUD_THROTTLE_RETRIES times. */
    async call<T>(call: GraphCall): Promise<T> {
      // A streamed body can be sent only once: such calls are not retried.
      const retries = call.body && !Buffer.isBuffer(call.body.stream) ? 0 : config.throttleRetries;
      for (let attemptNo = 0; ; attemptNo++) {
        const response = await attempt(call);
        const text = await response.body.text().catch((error: unknown) => Promise.reject(unreachable(error)));
        if (response.statusCode >= 200 && response.statusCode < 300) return parseSuccess<T>(response.statusCode, text);
        const failure = translateFailure(response.statusCode, text);
        // Meta may quote the token it refused: the operator's log gets its words, never the token.
        if (failure.operatorDetails !== undefined)
          options.onCredentialsRefused?.(withoutToken(failure.operatorDetails));
        if (failure.cloudCode === null || !THROTTLING_CODES.has(failure.cloudCode) || attemptNo >= retries) {
          if (failure.operatorDetails === undefined)
            options.onMetaError?.(call, failure, withoutToken(failure.details ?? ''));
          throw failure;
        }
        options.onThrottled?.(failure.cloudCode, attemptNo + 1);
        await sleep(throttleRetry(attemptNo + 1));
      }
    },

    /**
     * GET of a URL Graph handed out (another host), answered as a stream. Media URLs need the Bearer token; a
     * public CDN URL (the profile picture) is fetched without it (`authorize: false`): the token goes to no host
     * that does not need it.
     */
    async download(url: string, { authorize = true }: { authorize?: boolean } = {}): Promise<GraphDownload> {
      const response = await send(url, { method: 'GET', headers: authorize ? { authorization } : {} }, false);
      const length = response.headers['content-length'];
      const type = response.headers['content-type'];
      return {
        statusCode: response.statusCode,
        contentType: typeof type === 'string' ? type : undefined,
        contentLength: typeof length === 'string' ? Number(length) : undefined,
        body: response.body,
      };
    },

    close: () => agent.close(),
  };
}

export type GraphClient = ReturnType<typeof createGraphClient>;

function parseSuccess<T>(httpStatus: number, text: string): T {
  try {
    return (text ? JSON.parse(text) : {}) as T;
  } catch {
    throw new GraphCallError(
      'serviceNotReady',
      `the Cloud API answered HTTP ${httpStatus} with a body that is not JSON; retry later`,
      null,
      httpStatus,
      5,
    );
  }
}

/** Meta's error envelope → the On-Prem answer; a body that is not Meta's envelope is Graph being unwell (503). */
export function translateFailure(httpStatus: number, text: string): GraphCallError {
  let envelope: MetaErrorEnvelope | undefined;
  try {
    envelope = JSON.parse(text) as MetaErrorEnvelope;
  } catch {
    envelope = undefined;
  }
  const error = envelope?.error;
  if (!error || typeof error.code !== 'number') {
    return new GraphCallError(
      'serviceNotReady',
      `the Cloud API answered HTTP ${httpStatus} without an error body; retry later`,
      null,
      httpStatus,
      5,
    );
  }
  const details = describeCloudError({
    code: error.code,
    message: error.message,
    details: error.error_data?.details,
    fbtraceId: error.fbtrace_id,
  });
  if (CREDENTIAL_CODES.has(error.code)) {
    // The integration cannot fix our token: it learns the bridge is not ready; Meta's words go to our log only.
    const refused = new GraphCallError(
      'gatewayCredentialsRefused',
      `the Cloud API refused OpenPrem's access token (Cloud API error ${error.code}${error.fbtrace_id ? `, fbtrace_id ${error.fbtrace_id}` : ''}); the operator must renew WA_CLOUD_ACCESS_TOKEN`,
      error.code,
      httpStatus,
      60,
    );
    refused.operatorDetails = details;
    return refused;
  }
  const { kind } = translateCloudCode(error.code);
  const retryAfter =
    kind === 'tooManyRequests' ? 1 : kind === 'serviceNotReady' || kind === 'overloaded' ? 5 : undefined;
  const failure = new GraphCallError(kind, details, error.code, httpStatus, retryAfter);
  if (error.fbtrace_id !== undefined) failure.fbtraceId = error.fbtrace_id;
  return failure;
}

function unreachable(error: unknown): GraphCallError {
  const { code, name } = error as { code?: string; name?: string };
  const reason =
    name === 'TimeoutError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT'
      ? 'did not answer in time'
      : `could not be reached (${code ?? name ?? 'error'})`;
  return new GraphCallError('serviceNotReady', `the Cloud API ${reason}; retry later`, null, null, 5);
}
