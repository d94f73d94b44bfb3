// The OpenAPI document (/openapi.json), on a sandbox node and on a cloud node: valid OpenAPI 3.1, one operation per
// route the server serves and nothing else, the security the server really enforces, the shared error envelope,
// the raw content types, examples that fit their schemas, and the methods of the third-party description of the
// old API on the paths both have. The page that shows it: docs-page.test.ts.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { FastifyInstance } from 'fastify';
import { REMOVED_ENDPOINTS } from '../../src/http/routes/v1/legacy.removed.js';
import { TAG_TABLE } from '../../src/http/docs/tags.js';
import { startCloudNode } from '../support/cloud-node.js';
import { ADMIN_PASSWORD, API_KEY, startTestNode, suiteScope, type TestNode } from '../support/harness.js';

type Operation = {
  operationId: string;
  summary?: string;
  description?: string;
  tags?: string[];
  security?: Array<Record<string, string[]>>;
  responses: Record<string, any>;
  requestBody?: any;
};
type Document = {
  openapi: string;
  tags: Array<{ name: string }>;
  paths: Record<string, Record<string, Operation>>;
  components: Record<string, any>;
};

const FIXTURE = JSON.parse(readFileSync(new URL('../fixtures/onprem-openapi-paths.json', import.meta.url), 'utf8')) as {
  paths: Record<string, string[]>;
};

// Where our methods differ from the third-party description on a path both have, and why. Each is reported to the
// lead; none is hidden by editing the fixture.
const KNOWN_DIFFERENCES: Record<string, string> = {
  'GET /v1/account/shards':
    'the old API documents GET /v1/account/shards {"account":{"shards":n}}; the third-party description lists only POST',
};

// The rule the document follows (src/http/docs/document.ts), stated here from the outside: it leaves out what
// answers 405 (the refusal of other methods), the removed endpoints, and the browser pages with the document.
const BROWSER_PAGES = ['/docs', '/console', '/openapi.json', '/openapi.yaml'];

/** Every (method, path) Fastify registered, read from its route tree: "GET /v1/media/:id". */
function registeredRoutes(server: FastifyInstance): string[] {
  const routes: string[] = [];
  const stack: string[] = [];
  for (const line of server.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([│ ]*)(?:└── |├── )(\S+) \(([A-Z, ]+)\)/.exec(line);
    if (!match?.[2] || !match[3]) continue;
    stack.length = match[1]!.length / 4;
    // A wildcard child is printed as "*" without its slash: /v1/groups/* shows as v1/groups → *.
    stack.push(match[2] === '*' && !stack.join('').endsWith('/') ? '/*' : match[2]);
    const path = stack.join('').replace(/^\/\//, '/');
    for (const method of match[3].split(', ')) routes.push(`${method} ${path}`);
  }
  return routes.sort();
}

const concrete = (path: string) => path.replace(/:[A-Za-z_]+/g, 'sample1234').replace('*', 'abc');
const removed = (method: string, path: string) =>
  REMOVED_ENDPOINTS.some(
    (e) =>
      e.methods.includes(method as never) &&
      e.urls.some((url) => url === path || (url.endsWith('*') && path.startsWith(url.slice(0, -1)))),
  );
const isBrowserPage = (path: string) => BROWSER_PAGES.some((page) => path === page || path.startsWith(`${page}/`));

function operationsOf(doc: Document): Map<string, Operation> {
  const operations = new Map<string, Operation>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(item))
      operations.set(`${method.toUpperCase()} ${path.replace(/\{([^}]+)\}/g, ':$1')}`, operation);
  }
  return operations;
}

for (const gateway of ['sandbox', 'cloud'] as const) {
  describe(`OpenAPI document (${gateway} gateway)`, () => {
    let t: TestNode;
    let doc: Document;
    let operations: Map<string, Operation>;
    const suite = suiteScope();
    before(async () => {
      t = gateway === 'cloud' ? (await startCloudNode(suite)).t : await startTestNode(suite);
      const response = await t.request({ url: '/openapi.json' });
      assert.equal(response.status, 200);
      assert.match(String(response.headers['content-type']), /^application\/json/);
      doc = response.body;
      operations = operationsOf(doc);
    });

    it('is a valid OpenAPI 3.1 document', async () => {
      assert.equal(doc.openapi, '3.1.0');
      const result = await new Validator().validate(structuredClone(doc));
      assert.ok(result.valid, JSON.stringify(result.errors, null, 2)?.slice(0, 3000));
      const yaml = await t.request({ url: '/openapi.yaml' });
      assert.equal(yaml.status, 200);
      assert.match(String(yaml.headers['content-type']), /^application\/yaml/);
      assert.ok((await new Validator().validate(yaml.text)).valid, 'the YAML form validates too');
    });

    it('has an operation for every route served, and nothing else: it leaves out exactly the refusals and the pages', async () => {
      const registered = registeredRoutes(t.node.app.server);
      // HEAD routes are Fastify's own companions of GET routes: no operation of their own.
      for (const route of registered.filter((r) => r.startsWith('HEAD ')))
        assert.ok(registered.includes(route.replace('HEAD', 'GET')), route);
      const expected: string[] = [];
      const leftOut: string[] = [];
      for (const route of registered.filter((r) => !r.startsWith('HEAD '))) {
        const [method, path] = route.split(' ') as [string, string];
        const refusal = (await t.request({ method: method as never, url: concrete(path) })).status === 405;
        (refusal || removed(method, path) || isBrowserPage(path) ? leftOut : expected).push(route);
      }
      assert.deepEqual([...operations.keys()].sort(), expected.sort());
      assert.ok(leftOut.some((r) => r.startsWith('GET /docs')) && leftOut.includes('GET /openapi.json'));
      assert.ok(
        leftOut.includes('GET /v1/groups') && leftOut.includes('POST /v1/messages/:id'),
        'a removed endpoint and a 405',
      );
      assert.equal(operations.has('GET /cloud/webhook'), gateway === 'cloud');
      assert.equal(operations.has('POST /sandbox/inbound'), gateway === 'sandbox');
    });

    it('gives every operation a summary, a unique operationId and one tag of the table', () => {
      const tags = TAG_TABLE.map((row) => row.tag);
      assert.deepEqual(
        doc.tags.map((tag) => tag.name),
        tags,
      );
      const ids = new Set<string>();
      for (const [route, operation] of operations) {
        assert.ok(operation.summary && operation.summary.length <= 80, `${route} has a short summary`);
        assert.equal(operation.tags?.length, 1, route);
        assert.ok(tags.includes(operation.tags![0]!), `${route}: tag ${operation.tags![0]} is in the table`);
        assert.ok(!ids.has(operation.operationId), `${route}: operationId ${operation.operationId} is unique`);
        ids.add(operation.operationId);
      }
      assert.deepEqual(operations.get('GET /v1/media/:id')!.tags, ['media']);
      assert.deepEqual(operations.get('GET /')!.tags, ['health & metrics']);
      assert.deepEqual(operations.get('POST /v1/settings/account/two-step')!.tags, ['account']);
    });

    it('asks for the security the server enforces on each operation', async () => {
      const admin = await t.adminToken();
      const user = await t.userToken();
      for (const [route, operation] of operations) {
        const [declared, path] = route.split(' ') as [never, string];
        // A stream never ends by itself: its HEAD goes through the same checks without opening one.
        const method = operation.responses['200']?.content?.['text/event-stream'] ? ('HEAD' as never) : declared;
        const url = concrete(path);
        const schemes = (operation.security ?? []).map((requirement) => Object.keys(requirement)[0]);
        // The one operation that revokes the token it is called with gets a token of its own.
        const token = (who: 'admin' | 'user') =>
          route === 'POST /v1/users/logout'
            ? t.login(who === 'admin' ? 'admin' : 'user1x', who === 'admin' ? ADMIN_PASSWORD : 'User-Pass1!')
            : Promise.resolve(who === 'admin' ? admin : user);
        const anonymous = await t.request({ method, url });
        if (schemes.length === 0) {
          assert.notEqual(anonymous.status, 401, `${route} is public`);
          continue;
        }
        assert.equal(anonymous.status, 401, `${route} refuses a caller without credentials`);
        if (schemes.includes('basic')) {
          assert.deepEqual(schemes, ['basic']);
          assert.equal((await t.request({ method, url, basic: ['admin', ADMIN_PASSWORD] })).status, 200, route);
          continue;
        }
        assert.equal(schemes[0], 'bearer', route);
        assert.notEqual(
          (await t.request({ method, url, token: await token('admin') })).status,
          401,
          `${route} takes a bearer token`,
        );
        // An admin-only operation says so and lists 403; a ROLE_USER is refused on those, and 403 is never unlisted.
        const asUser = await t.request({ method, url, token: await token('user') });
        const adminOnly = /ROLE_ADMIN only/.test(operation.description ?? '');
        if (adminOnly) assert.equal(asUser.status, 403, `${route} refuses a ROLE_USER: ${asUser.text}`);
        if (asUser.status === 403) assert.ok('403' in operation.responses, `${route} lists the 403 it answers`);
        const withKey = await t.request({ method, url, apiKey: API_KEY });
        assert.equal(
          withKey.status !== 401,
          schemes.includes('apikey'),
          `${route}: Apikey accepted exactly where the operation lists it: ${withKey.text}`,
        );
      }
    });

    it('lists error statuses with the one shared error envelope', () => {
      const envelope = doc.components.schemas.ErrorEnvelope;
      assert.deepEqual(envelope.required, ['errors', 'meta']);
      for (const [route, operation] of operations) {
        for (const status of ['400', '500', '503']) assert.ok(operation.responses[status], `${route} lists ${status}`);
        for (const [status, response] of Object.entries(operation.responses).filter(([s]) => Number(s) >= 400)) {
          if (route === 'GET /v1/media/:id' && status === '404') {
            assert.equal(response.content, undefined, 'the media download answers 404 with no body');
            continue;
          }
          const name = /^#\/components\/responses\/(\w+)$/.exec(response.$ref)?.[1];
          assert.ok(name, `${route} ${status} refers to a shared response`);
          assert.equal(
            doc.components.responses[name].content['application/json'].schema.$ref,
            '#/components/schemas/ErrorEnvelope',
          );
        }
      }
      assert.match(doc.components.responses.Unauthorized.description, /1005 Access denied/);
      assert.ok(doc.components.responses.TooManyRequests.headers['Retry-After']);
    });

    it('describes raw bodies and non-JSON answers with their content types', () => {
      const upload = operations.get('POST /v1/media')!.requestBody.content;
      for (const type of [
        'image/jpeg',
        'image/png',
        'audio/ogg',
        'video/mp4',
        'image/webp',
        'application/pdf',
        'application/octet-stream',
      ]) {
        assert.deepEqual(upload[type].schema, { type: 'string', format: 'binary' }, type);
      }
      assert.deepEqual(Object.keys(operations.get('POST /v1/certificates/external')!.requestBody.content), [
        'text/plain',
      ]);
      assert.deepEqual(Object.keys(operations.get('POST /v1/certificates/webhooks/ca')!.requestBody.content), [
        'text/plain',
      ]);
      assert.deepEqual(Object.keys(operations.get('GET /v1/certificates/external/ca')!.responses['200'].content), [
        'text/plain',
      ]);
      assert.ok(operations.get('POST /v1/settings/profile/photo')!.requestBody.content['image/png']);
      assert.ok(operations.get('GET /v1/media/:id')!.responses['200'].content['image/jpeg']);
      assert.deepEqual(Object.keys(operations.get('GET /v1/metrics')!.responses['200'].content), [
        'application/json',
        'text/plain',
      ]);
      if (gateway === 'cloud')
        assert.deepEqual(Object.keys(operations.get('POST /cloud/webhook')!.requestBody.content), ['application/json']);
    });

    it("carries the walk-through's examples, each valid against its schema, and no Ajv keyword of ours", () => {
      const ajv = new Ajv2020({ strict: false });
      let checked = 0;
      for (const [route, operation] of operations) {
        const media = [operation.requestBody, ...Object.values(operation.responses)].flatMap((part) =>
          Object.values(part?.content ?? {}),
        ) as any[];
        for (const { schema, example, examples } of media) {
          for (const value of [
            ...(example === undefined ? [] : [example]),
            ...Object.values(examples ?? {}).map((e: any) => e.value),
          ]) {
            assert.ok(
              ajv.validate(schema, value),
              `${route}: example ${JSON.stringify(value).slice(0, 200)} fits its schema: ${ajv.errorsText()}`,
            );
            checked += 1;
          }
        }
      }
      assert.ok(checked >= 10, `${checked} examples`);
      const example = (route: string) => operations.get(route)!.requestBody.content['application/json'];
      assert.equal(example('POST /v1/messages').examples.example2.value.type, 'template');
      assert.deepEqual(example('POST /v1/users/login').example, {}, 'the login example changes no password');
      assert.ok(operations.get('GET /v1/health')!.responses['200'].content['application/json'].example.health);
      assert.doesNotMatch(JSON.stringify(doc), /x-scalar-strings|x-openprem/);
    });

    it('leaves the live routes as they were: strings still read as numbers and booleans, errors still the envelope', async () => {
      const admin = await t.adminToken();
      const check = await t.request({
        method: 'POST',
        url: '/v1/contacts',
        token: admin,
        body: { blocking: 'wait', force_check: 'true', contacts: ['+1 631 555 1001'] },
      });
      assert.equal(check.status, 200, check.text);
      const refused = await t.request({ method: 'POST', url: '/v1/contacts', token: admin, body: { contacts: 'x' } });
      assert.deepEqual(Object.keys(refused.body).sort(), ['errors', 'meta']);
    });

    it('agrees with the methods of a third-party description of the old API on the paths both have', () => {
      const shape = (path: string) => path.replace(/:[A-Za-z_]+/g, ':');
      const ours = new Map<string, string[]>();
      for (const route of operations.keys()) {
        const [method, path] = route.split(' ') as [string, string];
        ours.set(shape(path), [...(ours.get(shape(path)) ?? []), method]);
      }
      for (const [path, theirs] of Object.entries(FIXTURE.paths)) {
        const methods = ours.get(shape(path));
        if (!methods) {
          assert.ok(
            theirs.every((method) => removed(method, path)),
            `${path} is only theirs: it must be a removed endpoint`,
          );
          continue;
        }
        const differences = [
          ...methods.filter((m) => !theirs.includes(m)),
          ...theirs.filter((m) => !methods.includes(m)),
        ].map((m) => `${m} ${path}`);
        for (const difference of differences)
          assert.ok(
            KNOWN_DIFFERENCES[difference],
            `${difference}: ours ${methods.join(',')}, theirs ${theirs.join(',')}`,
          );
      }
    });

    it('is made once and answered with an ETag', async () => {
      const first = await t.request({ url: '/openapi.json' });
      const again = await t.request({ url: '/openapi.json', headers: { 'if-none-match': String(first.headers.etag) } });
      assert.equal(again.status, 304);
      assert.equal(again.text, '');
    });
  });
}
