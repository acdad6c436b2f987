/** Starts bench/server-child.ts (the real app) in a child process and talks to it over IPC. */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface BenchServer {
  port: number;
  base: string;
  tokens: { operator: string; supervisor: string };
  child: ChildProcess;
  /** CPU time the server process has used so far, ms (user + system) */
  cpuMs(): Promise<{ cpuMs: number; rssMB: number }>;
  stop(): Promise<void>;
}

/**
 * The node flags `npm start` and the Dockerfile run the server with: a 64 MB young
 * generation (semi-space) means fewer scavenges; garbage collection was ~15% of a busy
 * tickets list's CPU, and the list case went from 512 to 633 requests/s with it.
 */
export const PRODUCTION_NODE_FLAGS = ['--max-semi-space-size=64'];

/**
 * BENCH_CPU_PROF=1 runs the child with --cpu-prof into bench/out/prof/ (written when it
 * stops; open the .cpuprofile in Chrome DevTools or speedscope). BENCH_SERVER_NODE_ARGS:
 * more node flags for the server.
 */
export async function startServer(env: Record<string, string>): Promise<BenchServer> {
  const execArgv = ['--import', 'tsx', ...PRODUCTION_NODE_FLAGS, ...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [])];
  if (process.env.BENCH_CPU_PROF === '1') {
    const dir = fileURLToPath(new URL('out/prof/', import.meta.url));
    mkdirSync(dir, { recursive: true });
    execArgv.push('--cpu-prof', `--cpu-prof-dir=${dir}`);
  }
  const child = fork(fileURLToPath(new URL('server-child.ts', import.meta.url)), [], {
    execArgv,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<{ port: number; tokens: BenchServer['tokens'] }>((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`bench server exited (${code}) before listening`));
    child.once('exit', onExit);
    child.on('message', (m: { type: string; port: number; tokens: BenchServer['tokens'] }) => {
      if (m.type !== 'ready') return;
      child.off('exit', onExit);
      resolve(m);
    });
  });
  const request = <T>(type: string) =>
    new Promise<T>((resolve) => {
      const on = (m: { type: string } & T) => {
        if (m.type !== type) return;
        child.off('message', on);
        resolve(m);
      };
      child.on('message', on);
      child.send({ type });
    });
  return {
    port: ready.port,
    base: `http://127.0.0.1:${ready.port}`,
    tokens: ready.tokens,
    child,
    async cpuMs() {
      const m = await request<{ user: number; system: number; rss: number }>('cpu');
      return { cpuMs: (m.user + m.system) / 1000, rssMB: Math.round(m.rss / 1e6) };
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.send({ type: 'stop' });
      }),
  };
}
