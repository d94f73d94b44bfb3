// The in-process bus (SQLite): one process owns a SQLite file, so the nodes to tell are those of this process that
// opened the same file. In production that is the node alone; tests open several on one file.
import type { ClusterBus, Notice } from './bus.js';
import { createNoticeHandlers } from './bus.js';

type Member = { deliver(notice: Notice): Promise<void> };
const membersByFile = new Map<string, Set<Member>>();

export function createLocalBus(file: string, log: { warn(obj: object, message: string): void }): ClusterBus {
  const handlers = createNoticeHandlers(log);
  const self: Member = { deliver: (notice) => handlers.deliver(notice) };

  function publish(kind: Notice['kind'], key = ''): void {
    for (const member of membersByFile.get(file) ?? []) {
      // Asynchronously, as a notice from another process would arrive: never inside the sender's call.
      if (member !== self) setImmediate(() => void member.deliver({ kind, key }));
    }
  }

  return {
    publish,
    async publishIn(_trx, kind, key) {
      publish(kind, key);
    },
    on: handlers.on,
    onResync: handlers.onResync,
    async start() {
      const members = membersByFile.get(file) ?? new Set();
      membersByFile.set(file, members.add(self));
    },
    async close() {
      const members = membersByFile.get(file);
      members?.delete(self);
      if (members?.size === 0) membersByFile.delete(file);
    },
  };
}
