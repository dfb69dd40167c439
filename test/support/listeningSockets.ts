// Test helper: listening TCP sockets, read from /proc/net/tcp and /proc/net/tcp6 (Linux): by port, or by the processes holding them.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** The `st` column of a listening socket. */
const TCP_LISTEN = '0A';

/** /proc/net/tcp writes IPv4 addresses as one little-endian hex word: 0100007F is 127.0.0.1. */
function ipv4(hex: string): string {
  return [6, 4, 2, 0].map((at) => parseInt(hex.slice(at, at + 2), 16)).join('.');
}

/** IPv6 addresses as four little-endian words; only the two every test cares about are named. */
function ipv6(hex: string): string {
  if (/^0+$/.test(hex)) return '::';
  if (hex === '00000000000000000000000001000000') return '::1';
  return hex;
}

/** Addresses with a socket in LISTEN state on `port`, e.g. ['127.0.0.1'] or ['0.0.0.0', '::']. */
export function listeningAddresses(port: number): string[] {
  const wanted = port.toString(16).toUpperCase().padStart(4, '0');
  const found: string[] = [];
  for (const [file, decode] of [['/proc/net/tcp', ipv4], ['/proc/net/tcp6', ipv6]] as const) {
    for (const row of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const fields = row.trim().split(/\s+/);
      const [address, localPort] = (fields[1] ?? '').split(':');
      if (localPort === wanted && fields[3] === TCP_LISTEN && address) found.push(decode(address));
    }
  }
  return found;
}

export interface ListeningSocket {
  address: string;
  port: number;
  pid: number;
}

/** The socket inodes a process holds open (its /proc/PID/fd links of the form socket:[INODE]). */
function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return inodes;
  }
  for (const fd of fds) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.add(match[1] as string);
    } catch {
      // closed while we looked
    }
  }
  return inodes;
}

/** Every TCP socket in LISTEN state that one of these processes holds, with its local address and port. */
export function listeningSocketsOf(pids: number[]): ListeningSocket[] {
  const owner = new Map<string, number>();
  for (const pid of pids) for (const inode of socketInodes(pid)) owner.set(inode, pid);
  const found: ListeningSocket[] = [];
  for (const [file, decode] of [['/proc/net/tcp', ipv4], ['/proc/net/tcp6', ipv6]] as const) {
    for (const row of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const fields = row.trim().split(/\s+/);
      const [address, localPort] = (fields[1] ?? '').split(':');
      const pid = owner.get(fields[9] ?? '');
      if (fields[3] === TCP_LISTEN && address && localPort && pid !== undefined) found.push({ address: decode(address), port: parseInt(localPort, 16), pid });
    }
  }
  return found;
}
