/**
 * `flink-slot-model inspect` against real WebSockets: a listener the test starts (the `--url` mode
 * for local tools), and the Stately inspector's own local server (the browser mode), with a client
 * standing in for the inspector page. The events that arrive must be the machines' actors (with
 * their definitions, under their components), their snapshots and the events they took.
 */
import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { inspect, type InspectOptions } from './inspect.js';
import { runCliAsync } from './runForTest.js';

interface Received {
  readonly type: string;
  readonly sessionId: string;
  readonly parentId?: string;
  readonly sourceId?: string;
  readonly definition?: string;
  readonly event?: { readonly type: string };
  readonly snapshot?: { readonly value?: unknown; readonly status?: string };
}

const sample = (name: string) => join('traces', 'samples', name);
const dir = mkdtempSync(join(tmpdir(), 'flink-slot-model-inspect-'));
const servers: { close(): void }[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

/** A WebSocket listener on a free port that keeps what it receives. */
async function listener(): Promise<{ url: string; received: Received[] }> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  servers.push(server);
  await new Promise((resolve) => server.once('listening', resolve));
  const received: Received[] = [];
  server.on('connection', (socket) =>
    socket.on('message', (data) =>
      received.push(JSON.parse((data as Buffer).toString()) as Received),
    ),
  );
  return { url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

const run = runCliAsync;

const ofType = (received: readonly Received[], type: string) =>
  received.filter((r) => r.type === type);
const actor = (received: readonly Received[], sessionId: string) =>
  ofType(received, '@xstate.actor').find((r) => r.sessionId === sessionId);
const valuesOf = (received: readonly Received[], sessionId: string) =>
  ofType(received, '@xstate.snapshot')
    .filter((r) => r.sessionId === sessionId)
    .map((r) => r.snapshot?.value);

/** Events may still be in flight when the command returns; the listener's side waits for them. */
async function settled(received: readonly Received[], count: number): Promise<void> {
  for (let i = 0; i < 200 && received.length < count; i++)
    await new Promise((resolve) => setTimeout(resolve, 10));
}

function sentCount(out: string): number {
  const m = /sent: (\d+) components, (\d+) machine actors, (\d+) events, (\d+) snapshots/.exec(out);
  expect(m, out).not.toBeNull();
  const [components, machines, events, snapshots] = (m ?? []).slice(1).map(Number);
  // The cluster's own actor, then one per component and machine instance.
  return 1 + (components ?? 0) + (machines ?? 0) + (events ?? 0) + (snapshots ?? 0);
}

describe('flink-slot-model inspect --url (a local WebSocket listener)', { timeout: 60_000 }, () => {
  it("sends every machine's actor, snapshots and events of a recorded trace", async () => {
    const { url, received } = await listener();
    const { code, out } = await run(
      'inspect',
      sample('standalone-seed-1.ndjson'),
      '--url',
      url,
      '--pace',
      '0',
    );
    expect(code).toBe(0);
    expect(out).toContain('verdict: CONFORMS (exit 0)');
    await settled(received, sentCount(out));
    expect(received).toHaveLength(sentCount(out));

    // Components under the cluster; machines under their component, with their definitions.
    expect(actor(received, 'te-1')?.parentId).toBe('cluster');
    expect(actor(received, 'rm')?.parentId).toBe('cluster');
    for (const [sessionId, machineId, parent] of [
      ['te-1 rmConnection', 'rmConnection', 'te-1'],
      ['te-1 taskSlot[0]', 'taskSlot', 'te-1'],
      ['rm leadership', 'rmLeadership', 'rm'],
      ['jm-job-1 lifecycle', 'jmLifecycle', 'jm-job-1'],
      ['jm-job-1 rmConnection', 'jmRmConnection', 'jm-job-1'],
    ] as const) {
      const registered = actor(received, sessionId);
      expect(registered?.parentId, sessionId).toBe(parent);
      const definition = JSON.parse(registered?.definition ?? '{}') as {
        id?: string;
        states?: object;
      };
      expect(definition.id, sessionId).toBe(machineId);
      expect(Object.keys(definition.states ?? {}).length, sessionId).toBeGreaterThan(1);
    }

    // The TaskExecutor's RM connection goes from registering to connected, as its machine does.
    const values = valuesOf(received, 'te-1 rmConnection');
    expect(values).toContain('registering');
    expect(values.indexOf('connected')).toBeGreaterThan(values.indexOf('registering'));
    // The ResourceManager's requestSlot arrives at a TaskExecutor, from the RM's actor…
    const requestSlot = ofType(received, '@xstate.event').find(
      (r) => r.event?.type === 'requestSlot' && r.sessionId.startsWith('te-'),
    );
    expect(requestSlot?.sourceId).toBe('rm');
    // …and a slot machine takes it and shows its new state.
    const slotEvents = ofType(received, '@xstate.event').filter(
      (r) => /^te-\d taskSlot\[\d\]/.test(r.sessionId) && r.event?.type === 'requestSlot',
    );
    expect(slotEvents.length).toBeGreaterThan(0);
    const slot = slotEvents[0]?.sessionId ?? '';
    expect(valuesOf(received, slot)).toContain('allocated');
    // The run's end shows on the cluster's actor.
    expect(ofType(received, '@xstate.snapshot').at(-1)).toMatchObject({
      sessionId: 'cluster',
      snapshot: { status: 'done', value: 'healed' },
    });
  });

  it('runs the main job first when given no trace, and writes its trace', async () => {
    const { url, received } = await listener();
    const trace = join(dir, 'main-job.ndjson');
    const { code, out } = await run(
      'inspect',
      '--seed',
      '4',
      '--steps',
      '60',
      '--out',
      trace,
      '--url',
      url,
      '--pace',
      '0',
    );
    expect(code).toBe(0);
    expect(out).toContain('verdict: PASSED');
    expect(out).toContain(`inspecting ${trace} on ${url}`);
    expect(existsSync(trace)).toBe(true);
    await settled(received, sentCount(out));
    expect(actor(received, 'te-3 taskSlot[1]')?.parentId).toBe('te-3');
  });

  it("shows a counterexample's run and exits 1 with the checker's report", async () => {
    const { url, received } = await listener();
    const { code, out } = await run(
      'inspect',
      sample('canary-taskExecutorAcceptsOccupiedSlot.ndjson'),
      '--url',
      url,
      '--pace',
      '0',
    );
    expect(code).toBe(1);
    expect(out).toContain('divergence at line 84');
    await settled(received, sentCount(out));
    expect(actor(received, 'te-1 taskSlot[0]')).toBeDefined();
  });

  it('says in one line when the address is none or nothing listens there, the trace is missing, or it turns unusable', async () => {
    const port = await freePort();
    const refused = await run(
      'inspect',
      sample('standalone-seed-1.ndjson'),
      '--url',
      `ws://127.0.0.1:${port}`,
    );
    expect(refused.code).toBe(2);
    expect(refused.err).toBe(`error: ws://127.0.0.1:${port}: no inspector answers (ECONNREFUSED)`);
    const missing = await run(
      'inspect',
      join(dir, 'none.ndjson'),
      '--url',
      `ws://127.0.0.1:${port}`,
    );
    expect(missing).toMatchObject({
      code: 2,
      err: `error: ${join(dir, 'none.ndjson')}: no such file`,
    });
    const notAnAddress = await run('inspect', sample('standalone-seed-1.ndjson'), '--url', 'foo');
    expect(notAnAddress).toMatchObject({
      code: 2,
      err: 'error: foo: not a WebSocket address such as ws://127.0.0.1:8080 (Invalid URL: foo)',
    });
    // A trace that turns bad: the inspector saw its start, the checker says where it went wrong.
    const { url } = await listener();
    const bad = join(dir, 'bad.ndjson');
    const lines = readFileSync(sample('standalone-seed-1.ndjson'), 'utf8').split('\n');
    writeFileSync(bad, `${lines.slice(0, 5).join('\n')}\n{"kind":"step"\n`);
    const unusable = await run('inspect', bad, '--url', url, '--pace', '0');
    expect(unusable.code).toBe(2);
    expect(unusable.err).toMatch(new RegExp(`^${bad}:6: not JSON \\([^\\n]*\\)$`));
  });
});

describe('flink-slot-model inspect (the Stately inspector server)', { timeout: 60_000 }, () => {
  it('serves the inspector page, waits for Enter, and relays the run to the page', async () => {
    const port = await freePort();
    let paused = false;
    const stdin = Object.assign(new EventEmitter(), {
      isTTY: true,
      pause: () => void (paused = true),
    }) as unknown as NodeJS.ReadStream;
    let told = false;
    let stopped = 0;
    const received: Received[] = [];
    const out: string[] = [];
    let page = '';
    const io = {
      out: (line: string) => {
        out.push(line);
        // Once the server runs, open the page and connect as the page's socket does; then Enter.
        if (line.startsWith('Press Enter'))
          void (async () => {
            page = await (await fetch(`http://localhost:${port}`)).text();
            const socket = new WebSocket(`ws://localhost:${port}`);
            servers.push(socket);
            socket.on('message', (d) =>
              received.push(JSON.parse((d as Buffer).toString()) as Received),
            );
            await new Promise((resolve) => socket.once('open', resolve));
            stdin.emit('data', '\n');
          })();
        if (line.startsWith('The inspector keeps the run')) told = true;
      },
      err: (line: string) => out.push(line),
    };
    const options: InspectOptions = { seed: 1, port, open: false, pace: 0 };
    const code = await inspect(sample('standalone-seed-1.ndjson'), options, io, {
      stdin,
      // The person watching stops the server only after being told how.
      interrupted: () => (told ? Promise.resolve() : Promise.reject(new Error('not told'))),
      serverStopped: () => void (stopped += 1),
    });
    expect(code).toBe(0);
    // The terminal is no longer read (it would keep the process alive), and the server stopped.
    expect(paused).toBe(true);
    expect(stopped).toBe(1);
    expect(out[0]).toBe(
      `The Stately inspector: http://localhost:${port} (open it in a browser; the page embeds stately.ai/inspect, so the browser must be online).`,
    );
    expect(page).toContain('https://stately.ai/inspect');
    await settled(received, sentCount(out.join('\n')));
    expect(received).toHaveLength(sentCount(out.join('\n')));
    expect(actor(received, 'rm slot[te-1#0]')?.parentId).toBe('rm');
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
