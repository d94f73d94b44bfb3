// Checks one route against its access policy (docs/api/README.md#authentication-and-roles): who is refused with 401,
// who with 403, and who gets through, including the expired-token clean-up and the Apikey scheme.
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { hashToken } from '../../src/lib/secrets.js';
import { assertError } from './assertions.js';
import { API_KEY, type RequestOptions, type TestNode } from './harness.js';

type Access = 'public' | 'user' | 'admin' | 'user-or-apikey';

export interface RouteCase {
  method: NonNullable<RequestOptions['method']>;
  /** The route as registered, e.g. `/v1/users/:username`. */
  pattern: string;
  /** A concrete URL for it. */
  url: string;
  body?: unknown;
  access: Access;
  /** For a public route that checks its own credentials (login): the Basic credentials that open it. */
  basic?: [string, string];
  /** The status a caller who is let through gets (admin, and ROLE_USER where allowed). */
  expect: number;
  /** An answer that does not end (the live event stream): a caller let through gets its status and goes away. */
  stream?: boolean;
}

export interface Callers {
  /** A fresh ROLE_ADMIN token (fresh, since logout or a password change may consume it). */
  admin(): Promise<string>;
  /** A fresh ROLE_USER token. */
  user(): Promise<string>;
}

const MALFORMED_HEADERS = [
  'Bearer',
  'Bearer    ',
  'Token abc',
  'bearerabc',
  `Basic ${Buffer.from('admin:x').toString('base64')}`,
];

export async function checkRouteSecurity(t: TestNode, route: RouteCase, callers: Callers): Promise<void> {
  const label = `${route.method} ${route.url}`;
  const send = (extra: Partial<RequestOptions>) =>
    t.request({
      method: route.method,
      url: route.url,
      ...(route.body !== undefined ? { body: route.body } : {}),
      ...extra,
    });
  const refused = async (extra: Partial<RequestOptions>, status = 401) => {
    const response = await send(extra);
    assert.equal(response.status, status, `${label} with ${JSON.stringify(extra)}: ${response.text}`);
    assertError(response, status, 1005);
    return response;
  };
  const allowed = async (token: string, who: string) => {
    if (route.stream) {
      const opened = await t.node.app.server.inject({
        method: route.method,
        url: route.url,
        headers: { authorization: `Bearer ${token}` },
        payloadAsStream: true,
      });
      opened.stream().destroy();
      assert.equal(opened.statusCode, route.expect, `${label} as ${who}`);
      return;
    }
    const response = await send({ token });
    assert.equal(response.status, route.expect, `${label} as ${who}: ${response.text}`);
  };

  if (route.access === 'public') {
    const response = await send(route.basic ? { basic: route.basic } : {});
    assert.equal(response.status, route.expect, `${label} is public: ${response.text}`);
    return;
  }

  await refused({});
  if (route.method === 'GET') {
    // Fastify's automatic HEAD route must not be a way around authentication.
    assert.equal((await t.request({ method: 'HEAD', url: route.url })).status, 401, `HEAD ${route.url}`);
  }
  for (const header of MALFORMED_HEADERS) await refused({ headers: { authorization: header } });
  const bad = await refused({ token: 'not-a-real-token' });
  assert.equal(bad.body.errors[0].details, 'Invalid credentials.');

  // An expired token (of the admin, so the role is not what refuses it) is refused and deleted when presented.
  const expired = `expired-${route.method}-${route.url}`;
  const now = t.clock.now();
  const db = t.node.db.db;
  await db
    .insertInto('auth_tokens')
    .values({
      token_hash: hashToken(expired),
      username: 'admin',
      created_at: now - 8 * 86_400_000,
      expires_at: now - 1,
    })
    .execute();
  await refused({ token: expired });
  const left = await db
    .selectFrom('auth_tokens')
    .select('token_hash')
    .where('token_hash', '=', hashToken(expired))
    .execute();
  assert.deepEqual(left, [], `${label}: the expired token row is deleted`);

  if (route.access === 'admin') await refused({ token: await callers.user() }, 403);
  else await allowed(await callers.user(), 'ROLE_USER');
  await allowed(await callers.admin(), 'ROLE_ADMIN');

  if (route.access === 'user-or-apikey') {
    const response = await send({ apiKey: API_KEY });
    assert.equal(response.status, route.expect, `${label} with the API key: ${response.text}`);
    await refused({ apiKey: `${API_KEY}-wrong` });
    await refused({ headers: { authorization: 'Apikey' } });
  } else {
    const response = await refused({ apiKey: API_KEY });
    assert.match(response.body.errors[0].details, /API key is accepted only/);
  }
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** Every path the server knows, read from Fastify's route tree (`:param` segments kept as written). */
function routePaths(server: FastifyInstance): string[] {
  const paths: string[] = [];
  const stack: string[] = [];
  for (const line of server.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([│ ]*)(?:└── |├── )(\S+) \(/.exec(line);
    if (match?.[1] === undefined || !match[2]) continue;
    const depth = match[1].length / 4;
    stack.length = depth;
    // A wildcard child is printed as "*" without its slash: /v1/groups/* shows as v1/groups → *.
    stack.push(match[2] === '*' && !stack.join('').endsWith('/') ? '/*' : match[2]);
    paths.push(stack.join('').replace(/^\/\//, '/'));
  }
  return paths;
}

/** The (method, path) pairs the server really serves: any answer but 405 (which is the catch-all's). */
export async function servedRoutes(t: TestNode): Promise<string[]> {
  const served: string[] = [];
  for (const pattern of routePaths(t.node.app.server)) {
    const url = pattern.replace(/:[a-z_]+/g, 'sample1234');
    for (const method of METHODS) {
      const response = await t.request({ method, url });
      if (response.status !== 405) served.push(`${method} ${pattern}`);
    }
  }
  return served.sort();
}
