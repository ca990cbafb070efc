import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CONTROL_PREFIX, handleControl } from './control-api';
import type { SimCore } from './core';
import { sendError } from './http';
import { handleMedia, isMediaPath } from './media';
import { handleSuno, matchSunoRoute } from './suno-api';

export const HOST = '127.0.0.1';

// Shorter than Node's 5-minute default so a stuck client cannot pin a socket for a whole test run.
const REQUEST_TIMEOUT_MS = 30_000;

async function dispatch(core: SimCore, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', `http://${HOST}`).pathname;
  if (path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`)) return handleControl(core, path, req, res);
  if (isMediaPath(path)) return handleMedia(core, path, req, res);
  const route = matchSunoRoute(req.method ?? 'GET', path);
  if (route) return handleSuno(core, route, req, res);
  sendError(res, 404, `no route ${req.method} ${path}`);
}

export function createSimServer(core: SimCore): Server {
  const server = createServer((req, res) => {
    dispatch(core, req, res).catch((err: unknown) => {
      if (res.headersSent) res.destroy();
      else sendError(res, 500, `simulator bug: ${(err as Error)?.message ?? String(err)}`);
    });
  });
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  return server;
}

export function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen(port, HOST, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Resolves once the listener and every connection, idle or mid-request, are gone. */
export function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
