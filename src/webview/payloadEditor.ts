// Webview (browser): the event payload editor's front end. Plain DOM; the extension host owns the document and validation.
import type { HostMessage, PayloadDiagnostic, SampleEventSummary, StackFrameLine, WebviewMessage } from '../shared/webviewProtocol';
import { colouredJson, COLOUR_LIMIT_CHARS } from './jsonColours';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): { functionName?: string } | undefined;
  setState(state: { functionName?: string }): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const EDIT_DEBOUNCE_MS = 250;
const vscode = acquireVsCodeApi();

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`payload editor: missing #${id}`);
  return found as T;
}

const ui = {
  sample: element<HTMLSelectElement>('sample'),
  loadSample: element<HTMLButtonElement>('load-sample'),
  functionPicker: element<HTMLSelectElement>('function'),
  refreshFunctions: element<HTMLButtonElement>('refresh-functions'),
  invoke: element<HTMLButtonElement>('invoke'),
  debug: element<HTMLButtonElement>('debug'),
  invokeReason: element<HTMLSpanElement>('invoke-reason'),
  payload: element<HTMLTextAreaElement>('payload'),
  payloadColours: element<HTMLPreElement>('payload-colours'),
  eventType: element<HTMLSpanElement>('event-type'),
  problems: element<HTMLUListElement>('problems'),
  problemCount: element<HTMLSpanElement>('problem-count'),
  response: element<HTMLPreElement>('response'),
  responseStatus: element<HTMLSpanElement>('response-status'),
  framesTitle: element<HTMLHeadingElement>('frames-title'),
  frames: element<HTMLUListElement>('frames'),
  logs: element<HTMLPreElement>('logs'),
  status: element<HTMLDivElement>('status'),
};

let trusted = false;
let busy = false;
/** Why the document cannot be invoked (it is not JSON); undefined when it can. */
let invalidJson: string | undefined;
let editTimer: ReturnType<typeof setTimeout> | undefined;

function setStatus(text: string): void {
  ui.status.textContent = text;
}

function updateButtons(): void {
  const hasFunction = ui.functionPicker.value !== '';
  const blocked = busy || !trusted || !hasFunction || invalidJson !== undefined;
  ui.invoke.disabled = blocked;
  ui.debug.disabled = blocked;
  ui.invokeReason.textContent = invalidJson ?? '';
  ui.loadSample.disabled = ui.sample.value === '';
}

function fillSamples(samples: SampleEventSummary[]): void {
  const groups = new Map<string, HTMLOptGroupElement>();
  ui.sample.replaceChildren(new Option('Choose a sample...', ''));
  for (const sample of samples) {
    let group = groups.get(sample.service);
    if (!group) {
      group = document.createElement('optgroup');
      group.label = sample.service;
      groups.set(sample.service, group);
      ui.sample.append(group);
    }
    group.append(new Option(sample.title, sample.id));
  }
}

function fillFunctions(functions: string[]): void {
  const previous = ui.functionPicker.value || vscode.getState()?.functionName;
  ui.functionPicker.replaceChildren(
    ...(functions.length === 0 ? [new Option('No functions found', '')] : functions.map((name) => new Option(name, name))),
  );
  if (previous && functions.includes(previous)) ui.functionPicker.value = previous;
  updateButtons();
}

/** Moves the caret to a 1-based line and column of the textarea and focuses it. */
function revealPosition(line: number, column: number): void {
  const lines = ui.payload.value.split('\n');
  let offset = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i].length + 1;
  offset += Math.min(column - 1, (lines[line - 1] ?? '').length);
  ui.payload.focus();
  ui.payload.setSelectionRange(offset, offset);
  const lineHeight = parseFloat(getComputedStyle(ui.payload).lineHeight) || 18;
  ui.payload.scrollTop = Math.max(0, (line - 3) * lineHeight);
}

/** Colours the text behind the (transparent) textarea; very large texts are shown plain in the textarea itself. */
function paintPayload(): void {
  const text = ui.payload.value;
  const plain = text.length > COLOUR_LIMIT_CHARS;
  ui.payload.classList.toggle('plain', plain);
  // The extra line keeps the backdrop as tall as the textarea's content when the text ends with a line break.
  ui.payloadColours.replaceChildren(plain ? '' : colouredJson(text), '\n');
  followScroll();
}

function followScroll(): void {
  ui.payloadColours.scrollTop = ui.payload.scrollTop;
  ui.payloadColours.scrollLeft = ui.payload.scrollLeft;
}

/** The error's stack, one line a frame; frames in the workspace's files open them (the host knows the paths). */
function showFrames(frames: StackFrameLine[]): void {
  ui.framesTitle.hidden = frames.length === 0;
  ui.frames.hidden = frames.length === 0;
  ui.frames.replaceChildren(
    ...frames.map((frame, index) => {
      const item = document.createElement('li');
      if (!frame.location) {
        item.className = 'frame';
        item.textContent = frame.text;
        return item;
      }
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'frame linked';
      button.textContent = frame.text;
      button.title = `Open ${frame.location}`;
      button.addEventListener('click', () => vscode.postMessage({ type: 'openFrame', index }));
      item.append(button);
      return item;
    }),
  );
}

function showDiagnostics(diagnostics: PayloadDiagnostic[]): void {
  ui.problemCount.textContent = String(diagnostics.length);
  ui.payload.setAttribute('aria-invalid', String(diagnostics.length > 0));
  ui.problems.replaceChildren(
    ...diagnostics.map((d) => {
      const item = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'problem';
      button.textContent = `${d.line}:${d.column}  ${d.message}`;
      button.title = d.path === '' ? 'Go to the problem' : `Go to ${d.path}`;
      button.addEventListener('click', () => revealPosition(d.line, d.column));
      item.append(button);
      return item;
    }),
  );
}

function showResult(message: Extract<HostMessage, { type: 'invokeResult' }>): void {
  try {
    ui.response.replaceChildren(colouredJson(JSON.stringify(JSON.parse(message.payload), null, 2)));
  } catch {
    ui.response.textContent = message.payload; // not JSON: shown as returned
  }
  showFrames(message.frames);
  ui.response.classList.toggle('error', message.functionError !== undefined);
  ui.responseStatus.textContent = message.functionError ? `${message.errorType ?? 'Error'} (${message.functionError})` : 'Success';
  ui.logs.textContent = message.logs.join('\n');
  setStatus(message.functionError ? `${message.functionName} failed: ${message.errorType ?? message.functionError}` : `${message.functionName} returned`);
}

function send(action: 'invoke' | 'debug'): void {
  const functionName = ui.functionPicker.value;
  if (!functionName || busy || !trusted || invalidJson !== undefined) return;
  flushEdit();
  vscode.setState({ functionName });
  vscode.postMessage({ type: action, functionName });
}

function flushEdit(): void {
  if (editTimer !== undefined) {
    clearTimeout(editTimer);
    editTimer = undefined;
    vscode.postMessage({ type: 'edit', text: ui.payload.value });
  }
}

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const message = event.data;
  switch (message.type) {
    case 'init':
      trusted = message.trusted;
      fillSamples(message.samples);
      fillFunctions(message.functions);
      if (!trusted) setStatus('Restricted Mode: trust this workspace to invoke or debug.');
      break;
    case 'document':
      if (editTimer === undefined && ui.payload.value !== message.text) {
        ui.payload.value = message.text;
        paintPayload();
      }
      ui.eventType.textContent = message.eventType ?? '';
      invalidJson = message.invalidJson;
      showDiagnostics(message.diagnostics);
      break;
    case 'diagnostics':
      showDiagnostics(message.diagnostics);
      break;
    case 'functions':
      fillFunctions(message.functions);
      break;
    case 'busy':
      busy = true;
      setStatus(`${message.action === 'invoke' ? 'Invoking' : 'Starting a debug session for'} ${message.functionName}...`);
      break;
    case 'invokeResult':
      busy = false;
      showResult(message);
      break;
    case 'debugStarted':
      busy = false;
      setStatus(`Debugging ${message.functionName}`);
      break;
    case 'actionFailed':
      busy = false;
      ui.response.classList.add('error');
      ui.responseStatus.textContent = 'Failed';
      ui.response.textContent = message.message;
      showFrames([]);
      setStatus(message.message);
      break;
  }
  updateButtons();
});

ui.payload.addEventListener('scroll', followScroll);
ui.payload.addEventListener('input', () => {
  paintPayload();
  if (editTimer !== undefined) clearTimeout(editTimer);
  editTimer = setTimeout(flushEdit, EDIT_DEBOUNCE_MS);
});
ui.payload.addEventListener('blur', flushEdit);
ui.sample.addEventListener('change', updateButtons);
ui.loadSample.addEventListener('click', () => {
  if (ui.sample.value !== '') vscode.postMessage({ type: 'loadSample', id: ui.sample.value });
});
ui.functionPicker.addEventListener('change', () => {
  vscode.setState({ functionName: ui.functionPicker.value });
  updateButtons();
});
ui.refreshFunctions.addEventListener('click', () => vscode.postMessage({ type: 'refreshFunctions' }));
ui.invoke.addEventListener('click', () => send('invoke'));
ui.debug.addEventListener('click', () => send('debug'));
document.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    send('invoke');
  }
});

vscode.postMessage({ type: 'ready' });
