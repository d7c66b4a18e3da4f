/**
 * CPU cost of live sessions on a read-only request (load, read one attribute, commit), on the
 * in-process memory store where no network hides it: liveSessions on against off, same run,
 * alternating repetitions, medians. Run: `npx tsx src/live-sessions.bench.ts` in benchmarks/.
 */
import { createSessionManager, createSessionRepository, type HttpPort } from '@sess/core';
import { MemoryStore } from '@sess/memory';

const REQUESTS = 20_000;
const REPETITIONS = 7;

async function setup(liveSessions: boolean) {
  const repository = createSessionRepository({ store: new MemoryStore(), liveSessions });
  const session = repository.createSession().set('count', 1);
  await repository.save(session);
  const manager = createSessionManager({ repository, touchIntervalMs: 60_000 });
  const port: HttpPort = {
    getRequestHeader: (name) => (name === 'cookie' ? `sid=${session.id}` : undefined),
    isSecure: () => false,
    getResponseHeader: () => undefined,
    setResponseHeader: () => undefined,
    appendResponseHeader: () => undefined,
  };
  return { manager, port };
}

async function nsPerRequest({ manager, port }: Awaited<ReturnType<typeof setup>>): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < REQUESTS; i++) {
    const handle = await manager.load(port);
    handle.session.get('count');
    const committing = handle.commit();
    if (committing) await committing;
  }
  return Number(process.hrtime.bigint() - start) / REQUESTS;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const on = await setup(true);
const off = await setup(false);
await nsPerRequest(on);
await nsPerRequest(off);
const times = { off: [] as number[], on: [] as number[] };
for (let r = 0; r < REPETITIONS; r++) {
  times.off.push(await nsPerRequest(off));
  times.on.push(await nsPerRequest(on));
}
const result = { off: median(times.off), on: median(times.on) };
console.log(
  `read-only request, memory store, ${REQUESTS} requests x ${REPETITIONS}: ` +
    `liveSessions off ${(result.off / 1000).toFixed(2)} µs, on ${(result.on / 1000).toFixed(2)} µs ` +
    `(+${((result.on - result.off) / 1000).toFixed(2)} µs, ratio ${(result.on / result.off).toFixed(2)})`,
);
