// Remembers the last event each function ran with (workspace state), so Invoke and Debug re-run without asking again.
// Light on purpose (created at activation): reading the events back is eventChoice.ts's job, loaded with the commands.
import * as path from 'node:path';
import * as vscode from 'vscode';

const STATE_KEY = 'lambdaWorkbench.lastEvents';

/** What is stored per function: a reference to the event, never a copy of a saved file (edits to it apply). */
export type RememberedEvent =
  | { kind: 'saved'; file: string }
  | { kind: 'sample'; id: string }
  | { kind: 'empty' }
  | { kind: 'inline'; json: string };

export class LastEvents implements vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<string>();
  /** Fires with the function's name after it ran with an event. */
  readonly onDidChange = this.changeEmitter.event;
  private lastFunction: string | undefined;

  constructor(private readonly state: vscode.Memento) {}

  /** The function that ran most recently in this window. */
  get mostRecent(): { functionName: string; event: RememberedEvent } | undefined {
    const event = this.lastFunction === undefined ? undefined : this.get(this.lastFunction);
    return event && this.lastFunction !== undefined ? { functionName: this.lastFunction, event } : undefined;
  }

  get(functionName: string): RememberedEvent | undefined {
    return this.all()[functionName];
  }

  async remember(functionName: string, event: RememberedEvent): Promise<void> {
    await this.state.update(STATE_KEY, { ...this.all(), [functionName]: event });
    this.lastFunction = functionName;
    this.changeEmitter.fire(functionName);
  }

  dispose(): void {
    this.changeEmitter.dispose();
  }

  private all(): Record<string, RememberedEvent> {
    return this.state.get<Record<string, RememberedEvent>>(STATE_KEY, {});
  }
}

/** "hello.json", "the SQS sample", "an empty event", "an inline event": how messages and tooltips name it. */
export function describeRemembered(event: RememberedEvent): string {
  switch (event.kind) {
    case 'saved':
      return path.basename(event.file);
    case 'sample':
      return `the ${event.id} sample`;
    case 'empty':
      return 'an empty event';
    case 'inline':
      return 'an inline event';
  }
}
