// The CLI's exit statuses, which a script calling lambda-workbench can switch on.

export const EXIT_OK = 0;
/** The function returned an error (`invoke`, `schedules run`). */
export const EXIT_FUNCTION_ERROR = 1;
/** Bad usage, template, event file, or any other failure before or around the invocation. */
export const EXIT_FAILURE = 2;
/** Conventional status after Ctrl+C. */
export const EXIT_INTERRUPTED = 130;
