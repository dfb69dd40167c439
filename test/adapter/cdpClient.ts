// Test helper: a minimal Chrome DevTools Protocol client over the inspector's WebSocket (127.0.0.1 only).
import WebSocket from 'ws';

interface CdpMessage {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message: string };
}

export class CdpClient {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve(result: Record<string, unknown>): void; reject(error: Error): void }>();
  private readonly events: CdpMessage[] = [];
  private readonly waiters: { method: string; resolve(params: Record<string, unknown>): void }[] = [];

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => this.receive(JSON.parse(data.toString()) as CdpMessage));
  }

  static async connect(port: number): Promise<CdpClient> {
    const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as { webSocketDebuggerUrl: string }[];
    const socket = new WebSocket(targets[0].webSocketDebuggerUrl);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return new CdpClient(socket);
  }

  send(method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const id = ++this.nextId;
    this.socket.send(JSON.stringify({ id, method, params }));
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
  }

  /** The next event named `method` (including one that already arrived and was not consumed). */
  waitFor(method: string): Promise<Record<string, unknown>> {
    const index = this.events.findIndex((event) => event.method === method);
    if (index >= 0) return Promise.resolve(this.events.splice(index, 1)[0].params ?? {});
    return new Promise((resolve) => this.waiters.push({ method, resolve }));
  }

  /** Closes the connection (the debuggee runs on); resolves at once when it is already closed. */
  close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.close();
    });
  }

  private receive(message: CdpMessage): void {
    if (message.id !== undefined) {
      const call = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error) call?.reject(new Error(message.error.message));
      else call?.resolve(message.result ?? {});
      return;
    }
    const waiter = this.waiters.findIndex((w) => w.method === message.method);
    if (waiter >= 0) this.waiters.splice(waiter, 1)[0].resolve(message.params ?? {});
    else this.events.push(message);
  }
}
