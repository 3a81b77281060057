import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Milliseconds in-flight requests get to finish on shutdown. */
const DRAIN_MS = 10_000;

export interface HttpServer {
  /** Base URL the server answers on (`127.0.0.1` when bound to every interface). */
  url: string;
  /** Stops accepting, lets requests in flight finish (at most DRAIN_MS), then closes every connection. */
  close(): Promise<void>;
}

/** Starts `app` (an Express app or any request listener) on `port` (0: any free one) and `host`; resolves once it listens. */
export async function listen(app: RequestListener, port: number, host: string): Promise<HttpServer> {
  const server = await new Promise<Server>((resolve, reject) => {
    const s = createServer(app).listen(port, host, () => resolve(s));
    s.once('error', reject);
  });
  let inFlight = 0;
  server.on('request', (_req, res) => {
    inFlight += 1;
    res.once('close', () => (inFlight -= 1));
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${bound}`,
    async close() {
      const closing = new Promise<void>((resolve) => server.close(() => resolve()));
      // Keep-alive connections turn idle once their last answer is out: close them as they do,
      // and give requests in flight DRAIN_MS before cutting what is left.
      // Browsers also open connections they never send a request on; once nothing is in flight,
      // close whatever is left.
      const idle = setInterval(() => (inFlight === 0 ? server.closeAllConnections() : server.closeIdleConnections()), 100);
      server.closeIdleConnections();
      const cut = setTimeout(() => server.closeAllConnections(), DRAIN_MS);
      await closing;
      clearInterval(idle);
      clearTimeout(cut);
    },
  };
}
