// What kind of Docker-compatible engine this is: on this machine's own kernel or in a VM (Docker Desktop, Colima), Docker or Podman.
import { hostname, release } from 'node:os';
import type Dockerode from 'dockerode';

/**
 * True when containers share this host's kernel: same host name and kernel release as the engine reports, on Linux.
 * Only then is a FIFO in a bind-mounted host directory one pipe for both sides (through a VM's file sharing it is
 * two unrelated pipes).
 */
export async function engineSharesHostKernel(docker: Dockerode): Promise<boolean> {
  if (process.platform !== 'linux') return false;
  const info = (await docker.info()) as { Name?: string; KernelVersion?: string };
  return info.Name === hostname() && info.KernelVersion === release();
}

/** True for Podman's Docker-compatible service, whose defaults differ (process limit; see containerConfig.ts). */
export async function engineIsPodman(docker: Dockerode): Promise<boolean> {
  const version = (await docker.version()) as { Components?: { Name?: string }[] };
  return (version.Components ?? []).some((component) => /podman/i.test(component.Name ?? ''));
}
