// Labels that mark every container we start with its owner, and removal of containers whose owner process is gone.
import { hostname } from 'node:os';
import type Dockerode from 'dockerode';
import { errorMessage } from '../../common/errors';
import { processAlive } from '../../common/processAlive';
import { removeSessionPipes } from './outputPipes';

const LABEL_TOOL = 'lambda-workbench';
export const LABEL_SESSION = 'lambda-workbench.session';
export const LABEL_PID = 'lambda-workbench.pid';
export const LABEL_HOST = 'lambda-workbench.host';
export const LABEL_INSTANCE = 'lambda-workbench.instance';
export const LABEL_FUNCTION = 'lambda-workbench.function';

/** The labels of one container of this session. */
export function containerLabels(sessionId: string, instanceId: string, functionName: string): Record<string, string> {
  return {
    [LABEL_TOOL]: '1',
    [LABEL_SESSION]: sessionId,
    [LABEL_PID]: String(process.pid),
    [LABEL_HOST]: hostname(),
    [LABEL_INSTANCE]: instanceId,
    [LABEL_FUNCTION]: functionName,
  };
}

/** Removes the containers this session started (running or not). */
export async function removeSessionContainers(docker: Dockerode, sessionId: string): Promise<number> {
  const containers = await docker.listContainers({ all: true, filters: { label: [`${LABEL_SESSION}=${sessionId}`] } });
  await Promise.all(containers.map((container) => removeQuietly(docker, container.Id)));
  return containers.length;
}

/**
 * Removes containers left by sessions of this machine whose process no longer exists (a crash, a SIGKILL).
 * Containers of live sessions, and of other machines sharing a remote engine, are left alone.
 */
export async function removeOrphanedContainers(docker: Dockerode, currentSessionId: string): Promise<number> {
  const containers = await docker.listContainers({ all: true, filters: { label: [`${LABEL_TOOL}=1`, `${LABEL_HOST}=${hostname()}`] } });
  const orphans = containers.filter((container) => {
    const labels = container.Labels ?? {};
    return labels[LABEL_SESSION] !== currentSessionId && !processAlive(Number(labels[LABEL_PID]));
  });
  await Promise.all(orphans.map((container) => removeQuietly(docker, container.Id)));
  // Their sessions' output pipe directories on this machine go with them.
  const deadSessions = new Set(orphans.map((container) => container.Labels?.[LABEL_SESSION]).filter((id): id is string => Boolean(id)));
  await Promise.all([...deadSessions].map(removeSessionPipes));
  return orphans.length;
}

export async function removeQuietly(docker: Dockerode, containerId: string, attempt = 1): Promise<void> {
  try {
    await docker.getContainer(containerId).remove({ force: true, v: true });
  } catch (error) {
    // Already gone (404) or being removed by someone else (409): either way it will not linger.
    const status = (error as { statusCode?: number }).statusCode;
    if (status === 404 || status === 409) return;
    // Podman refuses to force-remove a container that stops at that very moment ("could not be stopped ... container
    // state improper"); once stopped it removes it.
    if (attempt < 3 && /state improper/.test(errorMessage(error))) return removeQuietly(docker, containerId, attempt + 1);
    throw error;
  }
}
