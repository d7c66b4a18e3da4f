import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

/** The Redis the standalone tests use (REDIS_URL, default redis://127.0.0.1:6379). */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** In CI a missing Redis is a failure; locally the suite is skipped with this message. */
export function unavailable(what: string): string | null {
  if (process.env.CI) throw new Error(`${what} is required in CI but is not available`);
  console.warn(`[@sess/redis tests] skipped: ${what} is not available`);
  return null;
}

/** Resolves whether a Redis answers PING at `url` within a second. */
export async function reachable(url: string): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => undefined);
  try {
    await Promise.race([
      probe.connect().then(() => probe.ping()),
      new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 1000)),
    ]);
    return true;
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

export function hasRedisServerBinary(): boolean {
  return (
    spawnSync('redis-server', ['--version']).status === 0 &&
    spawnSync('redis-cli', ['--version']).status === 0
  );
}

/** A redis-server child process on a loopback port, with no persistence. */
export class RedisProcess {
  readonly port: number;
  readonly #dir: string;
  readonly #extra: string[];
  #child: ChildProcess | null = null;
  /** Arguments that go before all others (a config file), made in the process' own directory. */
  configure: ((dir: string) => string[]) | null = null;

  constructor(port: number, extra: string[] = []) {
    this.port = port;
    this.#extra = extra;
    this.#dir = mkdtempSync(join(tmpdir(), `sess-redis-${port}-`));
  }

  async start(): Promise<void> {
    const child = spawn(
      'redis-server',
      [
        ...(this.configure?.(this.#dir) ?? []),
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--daemonize',
        'no',
        '--dir',
        this.#dir,
        ...this.#extra.map((arg) => arg.replace('<dir>', this.#dir)),
      ],
      { stdio: 'ignore' },
    );
    this.#child = child;
    const url = `redis://127.0.0.1:${this.port}`;
    for (let i = 0; i < 100; i++) {
      if (child.exitCode !== null) throw new Error(`redis-server on port ${this.port} exited (port in use?)`);
      if (await reachable(url)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`redis-server on port ${this.port} did not start`);
  }

  /** SIGKILL: an abrupt crash, not a clean shutdown. */
  async kill(): Promise<void> {
    const child = this.#child;
    this.#child = null;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.#dir, { recursive: true, force: true });
  }
}

/** Starts a 3-master Redis Cluster on the given ports (no replicas). */
export async function startCluster(ports: number[]): Promise<RedisProcess[]> {
  const nodes = ports.map(
    (port) =>
      new RedisProcess(port, [
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        `<dir>/nodes-${port}.conf`,
        '--cluster-node-timeout',
        '2000',
      ]),
  );
  try {
    await Promise.all(nodes.map((node) => node.start()));
    const created = spawnSync(
      'redis-cli',
      [
        '--cluster',
        'create',
        ...ports.map((p) => `127.0.0.1:${p}`),
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ],
      { encoding: 'utf8', timeout: 30_000 },
    );
    if (created.status !== 0)
      throw new Error(`redis-cli --cluster create failed: ${created.stdout}${created.stderr}`);
    // Wait until every node agrees the cluster is up.
    for (let i = 0; i < 200; i++) {
      const states = ports.map(
        (p) => spawnSync('redis-cli', ['-p', String(p), 'cluster', 'info'], { encoding: 'utf8' }).stdout,
      );
      if (states.every((s) => s.includes('cluster_state:ok'))) return nodes;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the Redis Cluster did not reach cluster_state:ok');
  } catch (error) {
    await Promise.all(nodes.map((node) => node.stop()));
    throw error;
  }
}

/** Deletes every key under `pattern` on one node (SCAN, never KEYS). */
export async function deleteKeys(client: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    // One key per command: on a cluster node the keys of one SCAN page live in different slots.
    if (keys.length > 0) await keys.reduce((pipeline, key) => pipeline.unlink(key), client.pipeline()).exec();
  } while (cursor !== '0');
}

/** A Sentinel-managed pair: master, one replica, and one Sentinel (quorum 1) watching them. */
export interface SentinelSetup {
  masterName: string;
  sentinelPort: number;
  master: RedisProcess;
  replica: RedisProcess;
  stop(): Promise<void>;
}

/**
 * Starts master (ports[0]), replica (ports[1]) and a Sentinel (ports[2]) on loopback, and waits until
 * the Sentinel knows the replica is in sync, so a failover can promote it.
 */
export async function startSentinelSetup(ports: [number, number, number]): Promise<SentinelSetup> {
  const [masterPort, replicaPort, sentinelPort] = ports;
  const masterName = 'sessmaster';
  const master = new RedisProcess(masterPort);
  const replica = new RedisProcess(replicaPort, ['--replicaof', '127.0.0.1', String(masterPort)]);
  // Sentinel needs a config file it can rewrite; RedisProcess passes '<dir>' through for it.
  const sentinel = new RedisProcess(sentinelPort, ['--sentinel']);
  sentinel.configure = (dir) => {
    const file = join(dir, 'sentinel.conf');
    writeFileSync(
      file,
      [
        `sentinel monitor ${masterName} 127.0.0.1 ${masterPort} 1`,
        `sentinel down-after-milliseconds ${masterName} 1000`,
        `sentinel failover-timeout ${masterName} 5000`,
        '',
      ].join('\n'),
    );
    return [file];
  };
  const all = [master, replica, sentinel];
  const stop = async () => {
    await Promise.all(all.map((node) => node.stop()));
  };
  try {
    await master.start();
    await replica.start();
    await sentinel.start();
    const probe = new Redis({ port: sentinelPort, host: '127.0.0.1' });
    try {
      for (let i = 0; ; i++) {
        const replicas = (await probe.call('SENTINEL', 'REPLICAS', masterName)) as string[][];
        const ready = replicas.some((fields) => {
          const info = Object.fromEntries(
            fields.flatMap((v, j) => (j % 2 === 0 ? [[v, fields[j + 1]]] : [])),
          );
          return info.flags === 'slave' && info['master-link-status'] === 'ok';
        });
        if (ready) break;
        if (i >= 200) throw new Error('the Sentinel did not see an in-sync replica within 20 s');
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      probe.disconnect();
    }
    return { masterName, sentinelPort, master, replica, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
