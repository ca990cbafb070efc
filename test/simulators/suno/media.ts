import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimCore } from './core';
import { sendError } from './http';

/**
 * One second of silence as MPEG-1 Layer III (128 kbit/s, 44.1 kHz, mono) after an empty ID3v2
 * tag: 38 frames of 417 bytes whose side information is all zero, which decoders play as
 * silence. Small, but a browser's <audio> really plays it (the dashboard's tests do).
 */
function silentMp3(): Buffer {
  const frame = Buffer.alloc(417);
  frame.set([0xff, 0xfb, 0x90, 0xc0]);
  return Buffer.concat([Buffer.from('ID3\x04\x00\x00\x00\x00\x00\x00', 'latin1'), ...Array.from({ length: 38 }, () => frame)]);
}

/**
 * Tiny stand-ins for the CDN files a clip links to, with the right magic bytes and content
 * type: enough for code that downloads or sniffs media. Only the MP3 is playable.
 */
const FILES = {
  mp3: { type: 'audio/mpeg', bytes: silentMp3() },
  mp4: {
    type: 'video/mp4',
    bytes: Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypmp42\x00\x00\x00\x00mp42isom', 'latin1'), Buffer.alloc(104)]),
  },
  jpeg: { type: 'image/jpeg', bytes: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(120), Buffer.from([0xff, 0xd9])]) },
} as const;

// Same file naming as Suno's CDN: <clip>.mp3, <clip>.mp4, image_<clip>.jpeg, image_large_<clip>.jpeg.
const MEDIA_PATH = /^\/media\/(?:(image_large_|image_))?([0-9a-f-]{36})\.(mp3|mp4|jpeg)$/;

export function isMediaPath(path: string): boolean {
  return path.startsWith('/media/');
}

export function handleMedia(core: SimCore, path: string, req: IncomingMessage, res: ServerResponse): void {
  if (core.down === 'destroy') {
    res.destroy();
    return;
  }
  if (core.down) return sendError(res, 503, 'simulated upstream outage');
  const m = MEDIA_PATH.exec(path);
  const isImage = m?.[1] !== undefined;
  const ext = m?.[3] as keyof typeof FILES | undefined;
  const valid = m && ext && isImage === (ext === 'jpeg') && core.store.clipExists(m[2]!);
  if (!valid || (req.method !== 'GET' && req.method !== 'HEAD')) return sendError(res, 404, 'no such media');
  const file = FILES[ext];
  res.writeHead(200, { 'content-type': file.type, 'content-length': file.bytes.length });
  res.end(req.method === 'HEAD' ? undefined : file.bytes);
}
