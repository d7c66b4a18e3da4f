/**
 * Private Hazelcast members for the live suites: the member jar from Maven (fetched once into
 * ~/.m2), members on free loopback ports with test/members/hazelcast-member.xml, a cluster name of
 * their own (so parallel runs never join each other), stopped by PID. Used by the package's vitest
 * globalSetup (one shared cluster), by the fault tests (clusters they may kill), and by
 * examples/koa-hazelcast.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The member version the suites run against; hazelcast-client 5.6.0 speaks its protocol. */
export const MEMBER_VERSION = '5.6.0';
const CONFIG = fileURLToPath(new URL('./hazelcast-member.xml', import.meta.url));
const JAR = join(
  homedir(),
  '.m2/repository/com/hazelcast/hazelcast',
  MEMBER_VERSION,
  `hazelcast-${MEMBER_VERSION}.jar`,
);
const FETCH_TIMEOUT_MS = 240_000;
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;
/** Where each run writes the PIDs of its members, so a later run can stop members a crashed run left. */
const PID_DIR = join(tmpdir(), 'sess-hazelcast-members');

/** The members a live suite talks to, as globalSetup provides them. */
export interface LiveClusterInfo {
  readonly clusterName: string;
  readonly members: readonly string[];
  /** True when the run started them (and a fault test may start more), false for HAZELCAST_MEMBERS. */
  readonly startedHere: boolean;
}

/**
 * The shared cluster (or why the live suites skip), and whether suites may start members of their
 * own (the fault and split-brain tests): null when they can, else why not.
 */
export type LiveClusterSetup = ({ readonly cluster: LiveClusterInfo } | { readonly skip: string }) & {
  readonly ownMembersSkip: string | null;
};

function run(command: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: timeoutMs, killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(' ')} failed: ${error.message}\n${stderr}`));
      else resolve(`${stdout}${stderr}`);
    });
  });
}

/**
 * The member jar's path, fetched with Maven when it is not cached. Throws with the reason when Java
 * or Maven is missing or the download fails (bounded to four minutes).
 */
export async function memberJar(): Promise<string> {
  await run('java', ['-version'], 30_000).catch((error: unknown) => {
    throw new Error(`Java is not available (install a JRE 17, e.g. .ci/ensure-java.sh): ${String(error)}`);
  });
  if (existsSync(JAR)) return JAR;
  await run(
    'mvn',
    [
      '-q',
      '-B',
      'dependency:get',
      `-Dartifact=com.hazelcast:hazelcast:${MEMBER_VERSION}`,
      '-Dtransitive=false',
    ],
    FETCH_TIMEOUT_MS,
  ).catch((error: unknown) => {
    throw new Error(
      `could not fetch com.hazelcast:hazelcast:${MEMBER_VERSION} with Maven (install maven, e.g. .ci/ensure-java.sh): ${String(error)}`,
    );
  });
  if (!existsSync(JAR)) throw new Error(`Maven finished but ${JAR} is missing`);
  return JAR;
}

/** A loopback port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

interface Member {
  readonly port: number;
  /** Whom this member tries to join (default: every member), and when it first looks for a merge. */
  join: string[] | null;
  mergeFirstRunSeconds: number;
  process: ChildProcess | null;
  /** The last cluster size this member printed ("Members {size:N"). */
  size: number;
  log: string;
}

/** A cluster of private members on loopback. */
export class MemberCluster {
  readonly clusterName: string;
  readonly #jar: string;
  readonly #members: Member[];
  readonly #pidFile: string;

  readonly #expirationPeriodSeconds: number;

  private constructor(jar: string, clusterName: string, ports: number[], expirationPeriodSeconds: number) {
    this.#jar = jar;
    this.#expirationPeriodSeconds = expirationPeriodSeconds;
    this.clusterName = clusterName;
    this.#members = ports.map((port) => ({
      port,
      join: null,
      mergeFirstRunSeconds: 3,
      process: null,
      size: 0,
      log: '',
    }));
    this.#pidFile = join(PID_DIR, `${clusterName}.json`);
  }

  /**
   * Starts `count` members and waits until each sees all of them (bounded). The expiration task runs
   * every `expirationPeriodSeconds` (Hazelcast's default is 5; the suites use 1).
   */
  static async start(count = 2, name = 'sess-test', expirationPeriodSeconds = 1): Promise<MemberCluster> {
    const jar = await memberJar();
    stopLeftovers();
    const ports: number[] = [];
    while (ports.length < count) {
      const port = await freePort();
      if (!ports.includes(port)) ports.push(port);
    }
    const clusterName = `${name}-${process.pid}-${Date.now().toString(36)}`;
    const cluster = new MemberCluster(jar, clusterName, ports, expirationPeriodSeconds);
    try {
      for (let i = 0; i < count; i++) cluster.#spawn(i);
      await cluster.waitForSize(count);
    } catch (error) {
      await cluster.stop();
      throw error;
    }
    return cluster;
  }

  /**
   * Two one-member clusters of the same name that merge later, as after a network split: member 0
   * knows both addresses but first looks for another cluster `mergeAfterSeconds` after it started;
   * member 1 knows only itself. Each is started and waited for alone.
   */
  static async startSplit(name: string, mergeAfterSeconds: number): Promise<MemberCluster> {
    const jar = await memberJar();
    stopLeftovers();
    const ports = [await freePort(), await freePort()];
    const cluster = new MemberCluster(jar, `${name}-${process.pid}-${Date.now().toString(36)}`, ports, 1);
    const [first, second] = cluster.#members as [Member, Member];
    first.mergeFirstRunSeconds = mergeAfterSeconds;
    second.join = [`127.0.0.1:${second.port}`];
    try {
      cluster.#spawn(0);
      await cluster.waitForSize(1);
      cluster.#spawn(1);
      await cluster.waitForSize(1);
    } catch (error) {
      await cluster.stop();
      throw error;
    }
    return cluster;
  }

  /** host:port of every member, running or not. */
  get addresses(): string[] {
    return this.#members.map((m) => `127.0.0.1:${m.port}`);
  }

  get info(): LiveClusterInfo {
    return { clusterName: this.clusterName, members: this.addresses, startedHere: true };
  }

  /** Waits until every running member reports a cluster of `size` (bounded). */
  async waitForSize(size: number, timeoutMs = START_TIMEOUT_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const running = this.#members.filter((m) => m.process !== null);
      if (running.length > 0 && running.every((m) => m.size === size)) return;
      const dead = running.find((m) => m.process?.exitCode !== null || m.process?.signalCode !== null);
      if (dead) throw new Error(`Hazelcast member on port ${dead.port} exited:\n${dead.log.slice(-3000)}`);
      if (Date.now() > deadline) {
        const sizes = running.map((m) => `${m.port}: ${m.size}`).join(', ');
        throw new Error(
          `Hazelcast members did not form a cluster of ${size} within ${timeoutMs} ms (${sizes})\n` +
            running.map((m) => m.log.slice(-1500)).join('\n---\n'),
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** SIGKILLs member `index` (a crash: no graceful partition hand-off). */
  async kill(index: number): Promise<void> {
    await this.#stopMember(index, 'SIGKILL');
  }

  /** Starts member `index` again on its port (it joins whoever is running). */
  restart(index: number): void {
    if (this.#members[index]?.process) throw new Error(`member ${index} is running`);
    this.#spawn(index);
  }

  /** Stops every member by PID: SIGTERM (graceful shutdown), SIGKILL after 10 s. */
  async stop(): Promise<void> {
    await Promise.all(this.#members.map((_, i) => this.#stopMember(i, 'SIGTERM')));
    rmSync(this.#pidFile, { force: true });
  }

  #spawn(index: number): void {
    const member = this.#members[index]!;
    const child = spawn(
      'java',
      [
        '-Xms64m',
        '-Xmx256m',
        '-XX:+UseSerialGC',
        '-XX:TieredStopAtLevel=1',
        `-Dhazelcast.config=${CONFIG}`,
        `-Dsess.hz.cluster=${this.clusterName}`,
        `-Dsess.hz.port=${member.port}`,
        `-Dsess.hz.members=${(member.join ?? this.addresses).join(',')}`,
        `-Dsess.hz.expiration.period=${this.#expirationPeriodSeconds}`,
        `-Dsess.hz.merge.first=${member.mergeFirstRunSeconds}`,
        '-jar',
        this.#jar,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    member.process = child;
    member.size = 0;
    member.log = '';
    const onOutput = (chunk: Buffer) => {
      const text = chunk.toString();
      member.log = (member.log + text).slice(-20_000);
      for (const match of text.matchAll(/Members \{size:(\d+)/g)) member.size = Number(match[1]);
    };
    child.stdout?.on('data', onOutput);
    child.stderr?.on('data', onOutput);
    child.on('exit', () => {
      if (member.process === child) member.process = null;
    });
    this.#writePids();
  }

  async #stopMember(index: number, signal: NodeJS.Signals): Promise<void> {
    const member = this.#members[index];
    const child = member?.process;
    if (!member || !child || child.exitCode !== null || child.signalCode !== null) {
      if (member) member.process = null;
      return;
    }
    const exited = once(child, 'exit');
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
    member.process = null;
    member.size = 0;
    this.#writePids();
  }

  #writePids(): void {
    mkdirSync(PID_DIR, { recursive: true });
    const pids = this.#members.flatMap((m) => (m.process?.pid ? [m.process.pid] : []));
    writeFileSync(this.#pidFile, JSON.stringify({ owner: process.pid, cluster: this.clusterName, pids }));
  }
}

/**
 * Stops members that an earlier run started and could not stop (it was killed): only PIDs recorded in
 * our own PID files whose owner process is gone and whose command line still names that cluster.
 */
function stopLeftovers(): void {
  if (!existsSync(PID_DIR)) return;
  for (const file of readdirSync(PID_DIR)) {
    const path = join(PID_DIR, file);
    try {
      const { owner, cluster, pids } = JSON.parse(readFileSync(path, 'utf8')) as {
        owner: number;
        cluster: string;
        pids: number[];
      };
      if (isAlive(owner)) continue;
      for (const pid of pids) {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        if (cmdline.includes(`-Dsess.hz.cluster=${cluster}`)) process.kill(pid, 'SIGKILL');
      }
    } catch {
      // The process is gone already, or this is not a Linux /proc: nothing to stop.
    }
    rmSync(path, { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * What the live suites run against: HAZELCAST_MEMBERS when set, else a 2-member cluster started here.
 * With CI set, anything that keeps members from starting throws (the run fails); without CI it
 * becomes a skip reason.
 */
export async function setUpLiveCluster(): Promise<{
  setup: LiveClusterSetup;
  cluster: MemberCluster | null;
}> {
  const given = (process.env.HAZELCAST_MEMBERS ?? '')
    .split(',')
    .map((member) => member.trim())
    .filter((member) => member.length > 0);
  const reason = (error: unknown) =>
    `no Hazelcast members: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}. ` +
    'Install Java 17 and Maven (.ci/ensure-java.sh) or set HAZELCAST_MEMBERS=host:port';
  if (given.length > 0) {
    const clusterName = process.env.HAZELCAST_CLUSTER_NAME ?? 'dev';
    // The fault and split-brain tests still need members they may kill.
    let ownMembersSkip: string | null = null;
    try {
      await memberJar();
    } catch (error) {
      if (process.env.CI) throw error;
      ownMembersSkip = reason(error);
      console.info(`[@sess/hazelcast] fault and split-brain suites skipped: ${ownMembersSkip}`);
    }
    return {
      setup: { cluster: { clusterName, members: given, startedHere: false }, ownMembersSkip },
      cluster: null,
    };
  }
  try {
    const cluster = await MemberCluster.start(2);
    return { setup: { cluster: cluster.info, ownMembersSkip: null }, cluster };
  } catch (error) {
    if (process.env.CI) throw error;
    const skip = reason(error);
    console.info(`[@sess/hazelcast] live suites skipped: ${skip}`);
    return { setup: { skip, ownMembersSkip: skip }, cluster: null };
  }
}
