// Can someone who guesses the admin's password from another address keep the admin out?
//
//   npx tsx bench/login-lockout.ts
//
// One in-process node (test/support/harness.ts, its clock moved by hand) listening on 127.0.0.1, reached over real
// sockets: Linux routes all of 127/8 to loopback, so binding the client socket to 127.0.0.2 makes a second address.
// Each of ROUNDS rounds: the attacker sends GUESSES wrong passwords for `admin` from 127.0.0.2, then the admin logs
// in once from 127.0.0.1 with the right password; the clock then moves on by a minute. Prints how many of the admin's
// logins were accepted and what the attacker's guesses were answered.
//
// Measured (2026-12-06): with the throttle keyed on the username alone, 0 of 20 admin logins were accepted
// (attacker: 401 × 14, 429 × 186); keyed on (username, address), address and a username ceiling for failing
// addresses, 20 of 20 (attacker: 401 × 14, 429 × 186: the guesser is slowed exactly as before).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ADMIN_PASSWORD, closingScope, startTestNode } from '../test/support/harness.js';

const ROUNDS = 20;
const GUESSES = 10;

function login(port: number, localAddress: string, password: string): Promise<number> {
  const authorization = `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`;
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        localAddress,
        method: 'POST',
        path: '/v1/users/login',
        agent: false,
        headers: { authorization },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    request.on('error', reject);
    request.end();
  });
}

const scope = closingScope();
const t = await startTestNode(scope);
try {
  await t.node.app.server.listen({ host: '127.0.0.1', port: 0 });
  const { port } = t.node.app.server.server.address() as AddressInfo;
  const attackerAnswers = new Map<number, number>();
  let accepted = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (let guess = 0; guess < GUESSES; guess++) {
      const status = await login(port, '127.0.0.2', `Wrong-Guess${round}-${guess}!`);
      attackerAnswers.set(status, (attackerAnswers.get(status) ?? 0) + 1);
    }
    if ((await login(port, '127.0.0.1', ADMIN_PASSWORD)) === 200) accepted++;
    t.clock.advance(60_000);
  }
  console.log(`admin logins accepted from 127.0.0.1: ${accepted} of ${ROUNDS}`);
  console.log(
    `attacker's ${ROUNDS * GUESSES} guesses from 127.0.0.2 answered: ${[...attackerAnswers].map(([status, n]) => `${status} × ${n}`).join(', ')}`,
  );
} finally {
  await scope.close();
}
