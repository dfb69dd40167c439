// Names of the local runtime images (lambda-workbench/runtime:<runtime>) and their labels, apart from the builder so the container backend uses them without loading it.

export const LOCAL_IMAGE_REPOSITORY = 'lambda-workbench/runtime';
/** Label of images whose bootstrap honours OUTPUT_PIPES_ENV (images built before it existed do not). */
export const OUTPUT_PIPES_LABEL = 'lambda-workbench.output-pipes';
/**
 * Names a directory in the container holding two FIFOs, `stdout` and `stderr`: the bootstrap sends the runtime's
 * output there, straight to the engine on the host, instead of through the container engine's attach stream.
 */
export const OUTPUT_PIPES_ENV = 'LAMBDA_WORKBENCH_OUTPUT_PIPES';
/**
 * The runtime channel's FIFOs in the same directory, when the backend made them: our Node.js and Python images' bootstraps open
 * them for their runtime client (src/shared/runtimeChannel.ts), which then uses them instead of the HTTP Runtime API.
 */
export const CHANNEL_FIFOS = { toRuntime: 'channel-in', toEngine: 'channel-out' } as const;

export function localImageFor(runtime: string): string {
  return `${LOCAL_IMAGE_REPOSITORY}:${runtime}`;
}
