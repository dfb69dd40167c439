// EventBridge schedule expressions: rate(5 minutes), cron(0 12 * * ? *) (AWS's six fields, Quartz weekdays) and Scheduler's at(...).
import { Cron } from 'croner';
import { WorkbenchError } from '../../common/errors';

export interface ScheduleExpression {
  /** The expression as written. */
  text: string;
  /** The next firing strictly after `after` (epoch ms), or undefined when there is none (a past at(...)). */
  next(after: number): number | undefined;
}

const RATE = /^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$/;
const CRON = /^cron\((.+)\)$/;
const AT = /^at\((\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\)$/;
const UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** Parses an expression; TEMPLATE_INVALID says what EventBridge would refuse. `timezone`: ScheduleV2's ScheduleExpressionTimezone. */
export function parseScheduleExpression(text: string, timezone?: string, startedAt = Date.now()): ScheduleExpression {
  const expression = text.trim();
  const rate = RATE.exec(expression);
  if (rate) {
    const value = Number(rate[1]);
    const unit = (rate[2] as string).replace(/s$/, '');
    if (value < 1) throw invalid(text, 'the rate must be a positive whole number');
    if ((value === 1) !== !(rate[2] as string).endsWith('s')) throw invalid(text, `use '${value} ${unit}${value === 1 ? '' : 's'}'`);
    const period = value * (UNIT_MS[unit] as number);
    // A rate schedule fires one period after it was created, then every period.
    return { text, next: (after) => startedAt + Math.max(1, Math.floor((after - startedAt) / period) + 1) * period };
  }
  const cron = CRON.exec(expression);
  if (cron) {
    const fields = (cron[1] as string).trim().split(/\s+/);
    if (fields.length !== 6) throw invalid(text, 'a cron expression has six fields: minutes hours day-of-month month day-of-week year');
    if (fields[2] !== '?' && fields[4] !== '?') throw invalid(text, "one of day-of-month and day-of-week must be '?'");
    let job: Cron;
    try {
      // AWS: Sunday is 1 (Quartz), no seconds field, a year field.
      job = new Cron(`0 ${fields.join(' ')}`, { paused: true, mode: '7-part', alternativeWeekdays: true, legacyMode: false, ...(timezone ? { timezone } : {}) });
    } catch (error) {
      throw invalid(text, (error as Error).message);
    }
    return { text, next: (after) => job.nextRun(new Date(after))?.getTime() };
  }
  const at = AT.exec(expression);
  if (at) {
    const job = new Cron(at[1] as string, { paused: true, ...(timezone ? { timezone } : {}) });
    return { text, next: (after) => job.nextRun(new Date(after))?.getTime() };
  }
  throw invalid(text, 'expected rate(N unit), cron(minutes hours day-of-month month day-of-week year) or at(yyyy-mm-ddThh:mm:ss)');
}

function invalid(text: string, reason: string): WorkbenchError {
  return new WorkbenchError('TEMPLATE_INVALID', `Schedule expression '${text}' is invalid: ${reason}.`);
}
