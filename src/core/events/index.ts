// Public surface of the sample event library: list, load, validate and detect event payloads.
export { listSampleEvents, loadSampleEvent, loadEventSchema, type SampleEventInfo } from './sampleEvents';
export { validateEvent, type EventDiagnostic } from './validateEvent';
export { detectEventType } from './detectEventType';
export { allEventParameters, eventParameters, generateEvent, type EventParameter } from './eventParameters';
