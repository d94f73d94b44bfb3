// The fast local receiver for bench/webhooks.mjs: answers every POST with 200 and counts them. Sends its count to
// the parent every 250 ms over IPC. Usage: node bench/webhook-receiver.mjs <port>   (127.0.0.1 only)
import http from 'node:http';

let received = 0;
const server = http.createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    received += 1;
    response.writeHead(200, { 'content-length': '0' }).end();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.argv[2]), '127.0.0.1', () => process.send?.({ listening: true }));
setInterval(() => process.send?.({ received }), 250).unref();
process.on('disconnect', () => process.exit(0));
