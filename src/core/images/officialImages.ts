// Maps a managed runtime identifier to the official AWS base image (public.ecr.aws/lambda/<family>:<version>[-<arch>]).
import { WorkbenchError } from '../common/errors';
import type { Architecture } from '../template/functionSpec';

export const OFFICIAL_IMAGE_REPOSITORY = 'public.ecr.aws/lambda';

/** The repository name and version tag of a runtime's base image, e.g. nodejs20.x -> nodejs / 20. */
export function officialImageParts(runtime: string): { family: string; version: string } {
  const managed = /^(nodejs|python|ruby|java|dotnet)(\d+(?:\.\d+)?)(?:\.x)?(\.al2)?$/.exec(runtime);
  if (managed) {
    const [, family, version, al2] = managed;
    return { family: family!, version: `${version}${al2 ?? ''}` };
  }
  const provided = /^provided(?:\.(al2|al2023))?$/.exec(runtime);
  if (provided) return { family: 'provided', version: provided[1] ?? 'alami' };
  if (runtime === 'go1.x') return { family: 'go', version: '1' };
  throw new WorkbenchError('RUNTIME_UNSUPPORTED', `No official Lambda base image is known for runtime "${runtime}".`, {
    hint: 'Use a managed runtime (nodejs20.x, python3.12, provided.al2023, ...) or set an image for it in the container backend options.',
  });
}

/** The image the container backend runs for a runtime, pinned to the function's architecture. */
export function officialImageFor(runtime: string, architecture: Architecture): string {
  const { family, version } = officialImageParts(runtime);
  return `${OFFICIAL_IMAGE_REPOSITORY}/${family}:${version}-${architecture}`;
}

/** Docker platform string for a Lambda architecture. */
export function platformFor(architecture: Architecture): string {
  return architecture === 'arm64' ? 'linux/arm64' : 'linux/amd64';
}
