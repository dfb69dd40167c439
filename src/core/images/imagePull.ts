// Makes sure an image is present in the engine, pulling it with progress events when it is missing.
import type Dockerode from 'dockerode';
import { WorkbenchError, errorMessage } from '../common/errors';

/** One progress message of a pull, as the engine reports it (layer id, status text, byte counts). */
export interface ImagePullProgress {
  image: string;
  layer?: string;
  status: string;
  currentBytes?: number;
  totalBytes?: number;
}

interface PullEvent {
  id?: string;
  status?: string;
  error?: string;
  progressDetail?: { current?: number; total?: number };
}

/** The image's labels (empty when it has none), or undefined when the engine does not have the image. */
export async function imageLabels(docker: Dockerode, image: string): Promise<Record<string, string> | undefined> {
  try {
    return (await docker.getImage(image).inspect()).Config?.Labels ?? {};
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return undefined;
    throw error;
  }
}

/** Pulls `image` unless the engine already has it; resolves with its labels. */
export async function ensureImage(
  docker: Dockerode,
  image: string,
  options: { platform?: string; onProgress?: (progress: ImagePullProgress) => void } = {},
): Promise<Record<string, string>> {
  const present = await imageLabels(docker, image);
  if (present) return present;
  try {
    const stream = await docker.pull(image, options.platform ? { platform: options.platform } : {});
    await new Promise<void>((resolve, reject) => {
      docker.modem.followProgress(
        stream,
        (error: Error | null, events: PullEvent[]) => {
          const failed = events?.find((event) => event.error);
          if (error || failed) reject(error ?? new Error(failed?.error));
          else resolve();
        },
        (event: PullEvent) => options.onProgress?.(toProgress(image, event)),
      );
    });
    return (await imageLabels(docker, image)) ?? {};
  } catch (error) {
    throw new WorkbenchError('IMAGE_UNAVAILABLE', `Image ${image} is not present and could not be pulled: ${errorMessage(error)}`, {
      hint: 'Check the network and registry access, or build a local runtime image with `lambda-workbench images build <runtime>`.',
      cause: error,
    });
  }
}

function toProgress(image: string, event: PullEvent): ImagePullProgress {
  return {
    image,
    status: event.status ?? '',
    ...(event.id ? { layer: event.id } : {}),
    ...(event.progressDetail?.current !== undefined ? { currentBytes: event.progressDetail.current } : {}),
    ...(event.progressDetail?.total !== undefined ? { totalBytes: event.progressDetail.total } : {}),
  };
}
