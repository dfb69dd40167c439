// {{functionName}}: a nightly job; the EventBridge event's `time` (when the schedule fired) decides which UTC day to process.

/** The parts of an EventBridge scheduled event this handler reads. */
export interface ScheduledEvent {
  source: string;
  'detail-type': string;
  time: string;
  resources?: string[];
}

export interface DayWindow {
  start: string;
  end: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The whole UTC day before the moment the schedule fired. */
export function previousUtcDay(firedAt: string): DayWindow {
  const time = new Date(firedAt);
  if (Number.isNaN(time.getTime())) throw new Error(`Invalid schedule time '${firedAt}'`);
  const end = Date.UTC(time.getUTCFullYear(), time.getUTCMonth(), time.getUTCDate());
  return { start: new Date(end - DAY_MS).toISOString(), end: new Date(end).toISOString() };
}

export const handler = async (event: ScheduledEvent): Promise<{ window: DayWindow; firedAt: string }> => {
  if (event?.source !== 'aws.events' || event['detail-type'] !== 'Scheduled Event') {
    throw new Error('Expected an EventBridge "Scheduled Event"');
  }
  const window = previousUtcDay(event.time);
  console.log(`Processing ${window.start} .. ${window.end} (rule ${event.resources?.[0] ?? 'unknown'})`);
  return { window, firedAt: event.time };
};
