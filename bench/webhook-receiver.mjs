// The fast local receiver for the webhook benches: answers every POST with 200 and counts them. Sends its count to
// the parent every 250 ms over IPC. Usage: node bench/webhook-receiver.mjs <port> [--by-status]   (127.0.0.1 only)
//
// With --by-status it also reads each body and counts the statuses it carries by their `status` (sent, delivered,
// read, ...), and callbacks without statuses (inbound messages, errors) as `other`. Off by default, so that
// bench/webhooks.mjs and bench/cluster.mjs keep measuring a receiver that does not parse.
import http from 'node:http';

const byStatus = process.argv.includes('--by-status');
let received = 0;
/** @type {Record<string, number>} */
const statuses = {};

function count(body) {
  let parsed = null;
  try {
    parsed = JSON.parse(body);
  } catch {}
  const list = Array.isArray(parsed?.statuses) ? parsed.statuses : [];
  if (list.length === 0) statuses.other = (statuses.other ?? 0) + 1;
  for (const status of list) {
    const name = typeof status?.status === 'string' ? status.status : 'other';
    statuses[name] = (statuses[name] ?? 0) + 1;
  }
}

const server = http.createServer((request, response) => {
  const chunks = [];
  if (byStatus) request.on('data', (chunk) => chunks.push(chunk));
  else request.resume();
  request.on('end', () => {
    received += 1;
    if (byStatus) count(Buffer.concat(chunks).toString('utf8'));
    response.writeHead(200, { 'content-length': '0' }).end();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.argv[2]), '127.0.0.1', () => process.send?.({ listening: true }));
setInterval(() => process.send?.(byStatus ? { received, statuses } : { received }), 250).unref();
process.on('disconnect', () => process.exit(0));
