// The concurrency guard (docs/api/choices.md#rate-and-concurrency-limits): 503 / 1016 at once when too many requests
// are in flight or the event loop lags, with real concurrent requests over a real port.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { after, before, describe, it } from 'node:test';
import { API_KEY, eventually, startAdminNode, startTestNode, suiteScope, type TestNode } from '../support/harness.js';
import { createGate } from '../support/gated-gateway.js';

async function counterValue(t: TestNode, name: string, labels: Record<string, string>): Promise<number> {
  const response = await t.request({ url: '/v1/metrics', apiKey: API_KEY });
  assert.equal(response.status, 200);
  const sample = response.body.metrics[name]?.data.find((d: any) =>
    Object.entries(labels).every(([k, v]) => d.labels[k] === v),
  );
  return sample?.value ?? 0;
}

async function overloadStat(t: TestNode): Promise<number> {
  const response = await t.request({ url: '/v1/stats/app', apiKey: API_KEY });
  assert.equal(response.status, 200);
  return response.body.stats.app[t.node.nodeKey].concurrent_rate_limit_triggered.data[0].value;
}

function assertOverloaded(status: number, body: any, retryAfter: string | null, details: RegExp): void {
  assert.equal(status, 503, JSON.stringify(body));
  assert.equal(retryAfter, '1');
  assert.equal(body.errors[0].code, 1016);
  assert.equal(body.errors[0].title, 'System overloaded');
  assert.match(body.errors[0].details, details);
  assert.deepEqual(body.meta, { api_status: 'stable', version: 'v2.53.0' });
}

const idle = (t: TestNode) => eventually(async () => (t.node.app.overload.inFlight() === 0 ? true : undefined));

describe('overload guard: requests in flight', () => {
  let t: TestNode;
  let admin: string;
  let base: string;
  const gate = createGate();

  // The gate opens before the node closes: a close waits for the requests it holds.
  after(() => gate.open());
  const suite = suiteScope();
  before(async () => {
    ({ t, admin } = await startAdminNode(suite, {
      // The share per client is turned off here: this block is about the node-wide bound, from one admin.
      env: { WA_MAX_IN_FLIGHT: '3', WA_MAX_IN_FLIGHT_PER_CLIENT: 'off' },
      wrapGateway: gate.wrap,
    }));
    await t.node.app.server.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.node.app.server.server.address() as AddressInfo).port}`;
  });

  const check = (number: string) =>
    fetch(`${base}/v1/contacts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ blocking: 'wait', contacts: [number] }),
    });

  it('refuses the request past the bound at once with 503 / 1016 and Retry-After, health stays exempt', async () => {
    gate.close();
    const before = await counterValue(t, 'openprem_overload_rejections_total', { reason: 'in_flight' });
    const beforeStat = await overloadStat(t);
    const held = ['+16315552001', '+16315552002', '+16315552003'].map(check);
    await eventually(async () => (t.node.app.overload.inFlight() === 3 ? true : undefined));

    const refused = await fetch(`${base}/v1/users/admin`, { headers: { authorization: `Bearer ${admin}` } });
    assertOverloaded(
      refused.status,
      await refused.json(),
      refused.headers.get('retry-after'),
      /3 requests in flight, the bound is 3/,
    );
    const alsoRefused = await check('+16315552004');
    assert.equal(alsoRefused.status, 503);
    await alsoRefused.arrayBuffer();

    const health = await fetch(`${base}/v1/health`, { headers: { authorization: `Apikey ${API_KEY}` } });
    assert.equal(health.status, 200);
    assert.deepEqual(((await health.json()) as any).health, { gateway_status: 'connected' });
    const metrics = await fetch(`${base}/metrics?format=prometheus`, {
      headers: { authorization: `Apikey ${API_KEY}` },
    });
    assert.equal(metrics.status, 200);
    assert.match(await metrics.text(), /^openprem_http_in_flight_requests\{node="[0-9a-f]+"\} 3$/m);
    assert.equal(t.node.app.overload.inFlight(), 3, 'refused and exempt requests are not counted');

    gate.open();
    const answers = await Promise.all(held);
    for (const [i, answer] of answers.entries()) {
      assert.equal(answer.status, 200);
      assert.deepEqual(((await answer.json()) as any).contacts, [
        { input: `+1631555200${i + 1}`, status: 'valid', wa_id: `1631555200${i + 1}` },
      ]);
    }
    await idle(t);
    const again = await check('+16315552004');
    assert.equal(again.status, 200, 'accepted again once the held requests are done');
    await again.arrayBuffer();

    assert.equal(await counterValue(t, 'openprem_overload_rejections_total', { reason: 'in_flight' }), before + 2);
    assert.equal(await overloadStat(t), beforeStat + 2);
  });

  it('counts app.inject requests in flight and never leaks the count on refusals or errors', async () => {
    gate.close();
    const held = t.request({
      method: 'POST',
      url: '/v1/contacts',
      token: admin,
      body: { blocking: 'wait', contacts: ['+16315552010'] },
    });
    await eventually(async () => (t.node.app.overload.inFlight() === 1 ? true : undefined));
    gate.open();
    assert.equal((await held).status, 200);
    await idle(t);

    // 401, an unknown user, an unknown route, 400 and 405: each finishes and gives its slot back.
    // One after another, each more times than the bound of 3: a leaked slot would turn the next ones into 503.
    const failures = [
      () => t.request({ url: '/v1/support' }),
      () => t.request({ url: '/v1/users/nobody', token: admin }),
      () => t.request({ url: '/v1/nothing-here', token: admin }),
      () => t.request({ method: 'POST', url: '/v1/contacts', token: admin, body: {} }),
      () => t.request({ method: 'GET', url: '/v1/contacts', token: admin }),
    ];
    for (let round = 0; round < 4; round++) {
      const statuses = [];
      for (const send of failures) statuses.push((await send()).status);
      assert.deepEqual(statuses, [401, 404, 404, 400, 405]);
    }
    await idle(t);
    for (let i = 0; i < 10; i++) assert.equal((await t.request({ url: '/v1/support', token: admin })).status, 200);
    await idle(t);
    assert.match(
      (await t.request({ url: '/metrics?format=prometheus', apiKey: API_KEY })).text,
      /^openprem_http_in_flight_requests\{node="[0-9a-f]+"\} 0$/m,
    );
  });
});

describe('overload guard: event loop delay', () => {
  let t: TestNode;
  let admin: string;
  const suite = suiteScope();
  before(async () => {
    t = await startTestNode(suite, { env: { WA_MAX_EVENT_LOOP_DELAY_MS: '100' } });
    // Start-up work (migrations, password hashing, a busy machine) may lag the loop past the bound: the login is
    // then refused 503 / 1016 as it should be, and tried again once the loop is calm.
    admin = await eventually(() => t.adminToken().catch(() => undefined));
  });

  const support = () => t.request({ url: '/v1/support', token: admin });

  it('answers 503 / 1016 while the loop lags past the bound, then serves normally again', async () => {
    // Start from a calm loop: start-up work (migrations, password hashing) may have lagged it.
    await eventually(async () => ((await support()).status === 200 ? true : undefined));
    const before = await counterValue(t, 'openprem_overload_rejections_total', { reason: 'event_loop_delay' });

    const start = performance.now();
    while (performance.now() - start < 300) {
      // Holding the event loop, as a runaway synchronous task would.
    }
    // The guard's 50 ms sampler is overdue, so it runs before this timer and sees the stall.
    await new Promise((resolve) => setTimeout(resolve, 0));
    assert.ok(t.node.app.overload.lagMs() > 100, `lag ${t.node.app.overload.lagMs()} ms`);
    const refused = await support();
    assertOverloaded(
      refused.status,
      refused.body,
      refused.headers['retry-after'] as string,
      /event loop delay \d+ ms is over 100 ms/,
    );

    await eventually(async () => ((await support()).status === 200 ? true : undefined));
    assert.ok(t.node.app.overload.lagMs() <= 100);
    assert.ok(
      (await counterValue(t, 'openprem_overload_rejections_total', { reason: 'event_loop_delay' })) >= before + 1,
    );
    await idle(t);
  });
});
