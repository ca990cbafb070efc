import type http from 'node:http';
import type { BoundedBody } from './bounded-body';
import { describeError, ImageFetchError } from './image-fetch-error';

/** Which upstream content types are served, and what the bytes say when the upstream gave none. */

const SNIFF_BYTES = 12;
// Types that need no further thought to be served from our own origin. SVG is
// left out on purpose: it is a document that can run script.
export const RASTER_TYPE = /^image\/(png|jpeg|pjpeg|gif|webp|avif|apng|bmp|x-icon|vnd\.microsoft\.icon|tiff|heic|heif)$/;
// What storage buckets send when nobody set a type; the bytes decide then.
export const UNTYPED = new Set(['', 'application/octet-stream', 'binary/octet-stream', 'application/binary']);

export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0].trim().toLowerCase();
}

/**
 * Reads the first bytes for sniffing. The body that carries them on is built in
 * the same tick as the sniffer lets go of the response: the upstream's 'end'
 * may already be queued, and nobody would hear it a tick later.
 */
export function readHead(res: http.IncomingMessage, bodyFrom: (head: Buffer) => BoundedBody): Promise<{ head: Buffer; body: BoundedBody }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const detach = (): void => {
      res.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      res.pause();
    };
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      length += chunk.length;
      if (length < SNIFF_BYTES) return;
      detach();
      const head = Buffer.concat(chunks);
      resolve({ head, body: bodyFrom(head) });
    };
    // Nothing under a dozen bytes is an image, so a body that ends this early is refused
    // rather than re-delivered.
    const onEnd = (): void => {
      detach();
      reject(new ImageFetchError('not_image', `upstream body is only ${length} bytes`));
    };
    const onError = (err: Error): void => {
      detach();
      reject(
        err instanceof ImageFetchError
          ? err
          : new ImageFetchError('unreachable', `upstream closed the connection: ${describeError(err)}`, undefined, { cause: err }),
      );
    };
    const onClose = (): void => onError(new Error('connection closed'));
    res.on('data', onData).once('end', onEnd).once('error', onError).once('close', onClose);
  });
}

export function sniffImageType(head: Buffer): string | undefined {
  const ascii = (start: number, end: number): string => head.subarray(start, end).toString('latin1');
  if (head.length >= 8 && head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a') return 'image/gif';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  if (ascii(4, 8) === 'ftyp' && ['avif', 'avis'].includes(ascii(8, 12))) return 'image/avif';
  return undefined;
}

/** Audio a clip may be: what Suno's CDN and its clones send. */
export const AUDIO_TYPE = /^audio\/(mpeg|mp3|mp4|aac|ogg|wav|x-wav|webm|flac)$/;

/** An ID3 tag or an MPEG audio frame header (11 set sync bits), or an MP4 container. */
export function sniffAudioType(head: Buffer): string | undefined {
  const ascii = (start: number, end: number): string => head.subarray(start, end).toString('latin1');
  if (ascii(0, 3) === 'ID3' || (head.length >= 2 && head[0] === 0xff && (head[1]! & 0xe0) === 0xe0)) return 'audio/mpeg';
  if (ascii(4, 8) === 'ftyp') return 'audio/mp4';
  if (ascii(0, 4) === 'OggS') return 'audio/ogg';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WAVE') return 'audio/wav';
  return undefined;
}
