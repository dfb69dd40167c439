// The kinds of local resources the Resources section lists, in order: a new kind (topics, buses, ...) is one module here.
import { asyncInvocationSection } from './asyncInvocationSection';
import { queueSection } from './queueSection';
import type { ResourceSection } from './resourceSection';
import { topicSection } from './topicSection';

export const RESOURCE_SECTIONS: readonly ResourceSection[] = [queueSection, topicSection, asyncInvocationSection];
