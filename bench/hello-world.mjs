// The baseline for bench/run.mjs: the smallest Fastify server this machine can run, with no logger, no
// hooks and no plugins. Everything OpenPrem does on top of Fastify shows up as the gap to this number.
// Usage: node bench/hello-world.mjs <port>   (listens on 127.0.0.1 only)
import Fastify from 'fastify';

const port = Number(process.argv[2] ?? process.env.PORT ?? 0);
const app = Fastify({ logger: false });

app.get('/', async () => ({ hello: 'world' }));

let closing = false;
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    if (closing) process.exit(1);
    closing = true;
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

const address = await app.listen({ host: '127.0.0.1', port });
process.stdout.write(`hello-world listening on ${address}\n`);
