// A real HTTP file server on loopback for media links: files and redirects registered by path, every request
// recorded with its headers. Also builds small valid files of each media type (their signatures and nothing else).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

interface ServedRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
}

export interface FileServer {
  /** host:port, as WA_MEDIA_LINK_ALLOW lists it. */
  readonly host: string;
  url(path: string): string;
  readonly requests: ServedRequest[];
  serve(path: string, body: Buffer, contentType: string): void;
  redirect(path: string, location: string, status?: number): void;
  close(): Promise<void>;
}

export async function startFileServer(): Promise<FileServer> {
  const routes = new Map<string, (response: http.ServerResponse) => void>();
  const requests: ServedRequest[] = [];
  const server = http.createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0]!;
    requests.push({ path, headers: request.headers });
    const route = routes.get(path);
    if (route) route(response);
    else response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    host,
    url: (path) => `http://${host}${path}`,
    requests,
    serve(path, body, contentType) {
      routes.set(path, (response) =>
        response.writeHead(200, { 'content-type': contentType, 'content-length': body.length }).end(body),
      );
    },
    redirect(path, location, status = 302) {
      routes.set(path, (response) => response.writeHead(status, { location }).end());
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The leading bytes that make a file of each type, for building test files. */
const SIGNATURES: Record<string, Buffer> = {
  'image/jpeg': Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
  'image/png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  'image/webp': Buffer.from('RIFF\x00\x00\x00\x00WEBPVP8 ', 'latin1'),
  'audio/aac': Buffer.from([0xff, 0xf1, 0x50, 0x80]),
  'audio/mp4': Buffer.from('\x00\x00\x00\x20ftypM4A ', 'latin1'),
  'audio/amr': Buffer.from('#!AMR\n'),
  'audio/mpeg': Buffer.from('ID3\x04\x00', 'latin1'),
  'audio/ogg': Buffer.from('OggS\x00\x02', 'latin1'),
  'video/mp4': Buffer.from('\x00\x00\x00\x20ftypisom', 'latin1'),
  'video/3gpp': Buffer.from('\x00\x00\x00\x14ftyp3gp4', 'latin1'),
  'application/pdf': Buffer.from('%PDF-1.7\n'),
};

/** A file of `size` bytes: the type's signature (when it has one), then filler. */
export function fileOf(mimeType: string, size: number): Buffer {
  const file = Buffer.alloc(size, 0x2a);
  (SIGNATURES[mimeType] ?? Buffer.alloc(0)).copy(file);
  return file;
}
