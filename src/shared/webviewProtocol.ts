// Typed messages between the payload editor (extension host) and its webview (browser); both sides import this file.

/** A validation problem in the event text; line and column are 1-based. */
export interface PayloadDiagnostic {
  message: string;
  line: number;
  column: number;
  path: string;
}

export interface SampleEventSummary {
  id: string;
  title: string;
  service: string;
}

/** One line of an error response's stack; `location` (e.g. "app.js:12") when the host found the file, then it opens on click. */
export interface StackFrameLine {
  text: string;
  location?: string;
}

/** Host -> webview. */
export type HostMessage =
  | { type: 'init'; samples: SampleEventSummary[]; functions: string[]; trusted: boolean }
  /** invalidJson: why the text cannot be invoked (it is not JSON); Invoke and Debug stay disabled while it is set. */
  | { type: 'document'; text: string; diagnostics: PayloadDiagnostic[]; eventType?: string; invalidJson?: string }
  /** The document's problems as the Problems panel lists them (every source), whenever they change. */
  | { type: 'diagnostics'; diagnostics: PayloadDiagnostic[] }
  | { type: 'functions'; functions: string[] }
  | { type: 'busy'; action: 'invoke' | 'debug'; functionName: string }
  /** frames: the error's stack, innermost first (empty for a response). */
  | { type: 'invokeResult'; functionName: string; payload: string; logs: string[]; functionError?: string; errorType?: string; frames: StackFrameLine[] }
  | { type: 'actionFailed'; action: 'invoke' | 'debug'; message: string }
  | { type: 'debugStarted'; functionName: string };

/** Webview -> host. */
export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'edit'; text: string }
  | { type: 'loadSample'; id: string }
  | { type: 'refreshFunctions' }
  | { type: 'invoke'; functionName: string }
  | { type: 'debug'; functionName: string }
  /** Open the file of frame `index` of the last invokeResult at its line. */
  | { type: 'openFrame'; index: number };

export const PAYLOAD_EDITOR_VIEW_TYPE = 'lambdaWorkbench.payloadEditor';
