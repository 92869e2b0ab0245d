/**
 * The WebSocket that carries inspection events to an inspector: the Stately inspector's local
 * server (`@statelyai/inspect/server`, which relays them to the inspector page in a browser) or any
 * tool listening on a WebSocket. It is an adapter for `createInspector` from @statelyai/inspect.
 *
 * Why not the library's own WebSocket adapter: it keeps only the last 200 events sent before the
 * socket opens and retries a refused connection every 5 s forever, so a run would lose its start
 * and a wrong address would hang. This one opens first (or fails with a one-line error), lets the
 * sender wait while the socket's buffer is full, and closes only when everything was sent.
 */
import type { StatelyInspectionEvent } from '@statelyai/inspect';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import { UsageError } from '../../cli/usageError.js';

/** Above this many bytes waiting in the socket, the sender waits. */
const HIGH_WATER = 1 << 20;

export class InspectorSocket {
  private constructor(
    private readonly socket: WebSocket,
    readonly url: string,
  ) {}

  /** Opens the socket; a UsageError naming the address when it is none, or nothing answers there. */
  static open(url: string, attempts = 1, retryMs = 200): Promise<InspectorSocket> {
    return new Promise((resolve, reject) => {
      const attempt = (left: number) => {
        let socket: WebSocket;
        try {
          socket = new WebSocket(url);
        } catch (error) {
          // ws refuses an address it cannot use (not ws:, wss:, http: or https:) as it is given.
          const why = error instanceof Error ? error.message : String(error);
          reject(
            new UsageError(`${url}: not a WebSocket address such as ws://127.0.0.1:8080 (${why})`),
          );
          return;
        }
        socket.once('open', () => {
          socket.removeAllListeners('error');
          // Errors after opening end the run through send(); keep the process alive meanwhile.
          socket.on('error', () => undefined);
          resolve(new InspectorSocket(socket, url));
        });
        socket.once('error', (error: NodeJS.ErrnoException) => {
          if (left > 1) setTimeout(() => attempt(left - 1), retryMs);
          else
            reject(new UsageError(`${url}: no inspector answers (${error.code ?? error.message})`));
        });
      };
      attempt(attempts);
    });
  }

  /**
   * The adapter `createInspector` sends through. It never throws (it is called from inside the
   * machines' sink): once the inspector has gone, events are dropped and `gone` says so.
   */
  readonly adapter = {
    send: (event: StatelyInspectionEvent) => {
      if (this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(event));
    },
  };

  /** True once the inspector closed the connection. */
  get gone(): boolean {
    return this.socket.readyState !== WebSocket.OPEN;
  }

  /** Waits until the socket has room again (a slow inspector slows the run down). */
  room(): Promise<void> {
    return this.drainedTo(HIGH_WATER);
  }

  /** Sends what is buffered, then closes. */
  async close(): Promise<void> {
    await this.drainedTo(0);
    if (this.socket.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.close();
    });
  }

  /** Waits (polling: ws tells of no drain) until at most `bytes` wait in the socket, or it closed. */
  private async drainedTo(bytes: number): Promise<void> {
    while (this.socket.bufferedAmount > bytes && this.socket.readyState === WebSocket.OPEN)
      await sleep(10);
  }
}
