// The internal port range: a debug session's reserved port is never taken by this process's own internal servers.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { describe, it } from 'node:test';
import { INTERNAL_PORTS, listenInternal, reserveInternalPort } from '../../src/core/api/internalPorts';

function listenOn(server: Server, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => resolve(true));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

describe('internal ports', () => {
  it('keeps a reserved port from listenInternal until it is released', { timeout: 60_000 }, async () => {
    // Hold every port of the range but two, so that listenInternal can only choose between the reserved one and another.
    const holders: Server[] = [];
    const free: number[] = [];
    try {
      for (let port = INTERNAL_PORTS.first; port <= INTERNAL_PORTS.last; port++) {
        const server = createServer();
        if (free.length < 2 && (await listenOn(server, port))) {
          await close(server);
          free.push(port);
        } else if (await listenOn(server, port)) holders.push(server);
      }
      assert.equal(free.length, 2, 'two ports of the internal range are free on this machine');

      const reservation = await reserveInternalPort();
      assert.ok(free.includes(reservation.port), `the reservation (${reservation.port}) is one of the free ports ${free.join(', ')}`);
      const other = free.find((port) => port !== reservation.port);
      // From a random start, each call would find the reserved port about every other time if it were not passed over.
      for (let i = 0; i < 20; i++) {
        const server = createServer();
        const port = await listenInternal(server);
        await close(server);
        assert.equal(port, other);
      }

      // Released, it is the range's one free port while the other is held.
      reservation.release();
      const holder = createServer();
      assert.ok(await listenOn(holder, other as number));
      holders.push(holder);
      const server = createServer();
      const port = await listenInternal(server);
      await close(server);
      assert.equal(port, reservation.port);
    } finally {
      await Promise.all(holders.map(close));
    }
  });
});
