// A check that refuses by throwing, run as a synchronous (done-callback) hook. An async hook costs a promise and a
// microtask turn per request; these checks never wait, so they need neither.
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';

export function syncCheck(
  check: (request: FastifyRequest, reply: FastifyReply) => void,
): (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => void {
  return (request, reply, done) => {
    try {
      check(request, reply);
    } catch (error) {
      return done(error as Error);
    }
    // Outside the try: what runs after this hook answers its own errors.
    done();
  };
}
