// The kinds of local resources the Resources section lists, in order: a new kind (topics, buses, ...) is one module here.
import { asyncInvocationSection } from './asyncInvocationSection';
import { busSection } from './busSection';
import { queueSection } from './queueSection';
import type { ResourceSection } from './resourceSection';
import { scheduleSection } from './scheduleSection';
import { topicSection } from './topicSection';

export const RESOURCE_SECTIONS: readonly ResourceSection[] = [queueSection, topicSection, busSection, scheduleSection, asyncInvocationSection];
