// Downloads a media `link` (docs/api/media.md#media-by-link) without letting it reach where it should not. Every
// connection resolves the host itself, refuses loopback, private, link-local and other non-public addresses (IPv4 and
// IPv6, IPv4-mapped included) unless WA_MEDIA_LINK_ALLOW lists them, and connects to the very address it checked: DNS
// cannot answer one address to the check and another to the connection (rebinding). Redirects are followed by hand, at
// most 5, each new URL going through the same check; a download is capped in size and in time.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { Agent, buildConnector, request, type Dispatcher } from 'undici';
import { nonPublicCategory, parseIp } from '../../lib/ip-address.js';
import { isAllowed, type LinkAllowEntry } from '../../lib/link-allow-list.js';

const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Why a link could not be downloaded, in words fit for a failed status's details. */
export class LinkFetchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LinkFetchError';
  }
}

export interface LinkFetcherOptions {
  allow: readonly LinkAllowEntry[];
  timeoutMs: number;
  /** Host name → addresses; DNS by default (tests answer their own). */
  resolve?: (hostname: string) => Promise<string[]>;
}

interface FetchedLink {
  /** The URL the bytes came from, after redirects. */
  url: string;
  contentType: string | null;
  /** The body, stopped with a LinkFetchError past `maxBytes` or the time bound. Read it to the end or return early. */
  body: AsyncIterable<Buffer>;
}

export interface LinkFetcher {
  open(url: string, options: { headers?: Record<string, string>; maxBytes: number }): Promise<FetchedLink>;
  close(): Promise<void>;
}

const resolveWithDns = async (hostname: string) =>
  (await lookup(hostname, { all: true, order: 'ipv4first' })).map((a) => a.address);

export function createLinkFetcher(options: LinkFetcherOptions): LinkFetcher {
  const resolve = options.resolve ?? resolveWithDns;
  const connect = buildConnector({ timeout: options.timeoutMs });

  /** undici's connector, with every address checked first and the connection pinned to the checked one. */
  const guardedConnect: buildConnector.connector = (target, callback) => {
    const hostname = target.hostname.replace(/^\[(.*)\]$/, '$1');
    const port = Number(target.port) || (target.protocol === 'https:' ? 443 : 80);
    (isIP(hostname) ? Promise.resolve([hostname]) : resolve(hostname))
      .then((addresses) => {
        if (addresses.length === 0) throw new LinkFetchError(`${hostname} does not resolve to any address`);
        for (const address of addresses) {
          const refusal = refusalOf(hostname, address, port);
          if (refusal) throw new LinkFetchError(refusal);
        }
        // `host` keeps the name, so TLS still checks the certificate against it (SNI), while the socket goes to
        // the address that was checked.
        connect({ ...target, hostname: addresses[0]! }, callback);
      })
      .catch((error: unknown) =>
        callback(
          error instanceof LinkFetchError
            ? error
            : new LinkFetchError(`${hostname} cannot be resolved (${codeOf(error)})`),
          null,
        ),
      );
  };

  function refusalOf(hostname: string, address: string, port: number): string | null {
    const ip = parseIp(address);
    if (!ip) return `${hostname} resolved to ${address}, which is not an IP address`;
    const category = nonPublicCategory(ip);
    if (category === null || isAllowed(options.allow, hostname, ip, port)) return null;
    const via = hostname === address ? '' : ` (${hostname} resolves to it)`;
    return `${address} is a ${category} address${via}, and WA_MEDIA_LINK_ALLOW does not list it`;
  }

  const agent = new Agent({
    connect: guardedConnect,
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
  });

  async function open(
    url: string,
    { headers = {}, maxBytes }: { headers?: Record<string, string>; maxBytes: number },
  ): Promise<FetchedLink> {
    const signal = AbortSignal.timeout(options.timeoutMs);
    let current = parseLink(url);
    let sent = headers;
    for (let redirects = 0; ; redirects++) {
      const response = await send(current, sent, signal);
      if (REDIRECTS.has(response.statusCode)) {
        const location = response.headers.location;
        await response.body.dump().catch(() => {});
        if (redirects === MAX_REDIRECTS) throw new LinkFetchError(`more than ${MAX_REDIRECTS} redirects`);
        if (typeof location !== 'string')
          throw new LinkFetchError(`a redirect (HTTP ${response.statusCode}) without a Location`);
        const next = parseLink(location, current);
        // Credentials are for the provider's own host: a redirect elsewhere does not carry them.
        if (next.origin !== current.origin) sent = withoutAuthorization(sent);
        current = next;
        continue;
      }
      if (response.statusCode < 200 || response.statusCode > 299) {
        await response.body.dump().catch(() => {});
        throw new LinkFetchError(`answered HTTP ${response.statusCode}`);
      }
      const length = Number(response.headers['content-length']);
      if (Number.isFinite(length) && length > maxBytes) {
        discard(response.body);
        throw new LinkFetchError(`the file is ${length} bytes, more than the ${maxBytes} allowed`);
      }
      const contentType = response.headers['content-type'];
      return {
        url: current.href,
        contentType: typeof contentType === 'string' ? contentType : null,
        body: capped(response.body, maxBytes),
      };
    }
  }

  async function send(
    url: URL,
    headers: Record<string, string>,
    signal: AbortSignal,
  ): Promise<Dispatcher.ResponseData<unknown>> {
    try {
      return await request(url, { method: 'GET', headers, dispatcher: agent, signal });
    } catch (error) {
      throw describe(error, options.timeoutMs);
    }
  }

  async function* capped(body: Dispatcher.ResponseData<unknown>['body'], maxBytes: number): AsyncGenerator<Buffer> {
    let size = 0;
    try {
      for await (const chunk of body) {
        size += (chunk as Buffer).length;
        if (size > maxBytes) throw new LinkFetchError(`the file is larger than the ${maxBytes} bytes allowed`);
        yield chunk as Buffer;
      }
    } catch (error) {
      throw describe(error, options.timeoutMs);
    } finally {
      discard(body);
    }
  }

  return { open, close: () => agent.close() };
}

/** Drops a body not read to the end; undici reports that as an error event, which nobody needs to hear. */
function discard(body: Dispatcher.ResponseData<unknown>['body']): void {
  if (body.destroyed) return;
  body.on('error', () => {});
  body.destroy();
}

function parseLink(text: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(text, base);
  } catch {
    throw new LinkFetchError(`${text} is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new LinkFetchError(`${url.protocol} links are not fetched, only http and https`);
  if (url.username || url.password)
    throw new LinkFetchError('links with credentials in the URL are not fetched; configure a media provider');
  return url;
}

function withoutAuthorization(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'authorization'));
}

function codeOf(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  return code ?? message ?? String(error);
}

/** Our own refusals keep their words; timeouts and network errors are named by their code. */
function describe(error: unknown, timeoutMs: number): LinkFetchError {
  if (error instanceof LinkFetchError) return error;
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof LinkFetchError) return cause;
  const name = (error as { name?: string }).name;
  if (name === 'TimeoutError' || name === 'AbortError' || /Timeout/.test(codeOf(error)))
    return new LinkFetchError(`no complete answer within ${timeoutMs} ms`);
  return new LinkFetchError(codeOf(error));
}
