import { crc32, deflateSync } from 'node:zlib';

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Beyond this the simulator refuses to buffer an image; use huge mode (streamed) instead. */
export const MAX_BUFFERED_IMAGE_BYTES = 256 * 1024 * 1024;

const WIDTH = 256;
const CHUNK_OVERHEAD = 12; // length + type + crc
const IHDR_SIZE = CHUNK_OVERHEAD + 13;
const IEND_SIZE = CHUNK_OVERHEAD;
const PAD_KEYWORD = Buffer.from('Comment\0', 'latin1');

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(CHUNK_OVERHEAD + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)) >>> 0, 8 + data.length);
  return out;
}

function ihdr(width: number, height: number): Buffer {
  const d = Buffer.alloc(13);
  d.writeUInt32BE(width, 0);
  d.writeUInt32BE(height, 4);
  d[8] = 8; // bit depth
  d[9] = 0; // greyscale
  return chunk('IHDR', d);
}

// Stored (level 0) deflate keeps the size predictable so the file can be padded to an exact length.
function idat(height: number): Buffer {
  const stride = WIDTH + 1;
  const raw = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const row = y * stride; // filter byte 0 (None) is already zero
    for (let x = 0; x < WIDTH; x++) raw[row + 1 + x] = (x ^ y) & 0xff;
  }
  return chunk('IDAT', deflateSync(raw, { level: 0 }));
}

/**
 * A decodable greyscale PNG of exactly `targetBytes` bytes (smaller targets than
 * ~400 bytes get the smallest valid image): the image fills most of the budget and
 * a trailing tEXt chunk pads the rest, so throughput benchmarks can reason about
 * exact transfer sizes.
 */
export function buildPng(targetBytes: number): Buffer {
  if (!Number.isInteger(targetBytes) || targetBytes < 1 || targetBytes > MAX_BUFFERED_IMAGE_BYTES) {
    throw new RangeError(`imageBytes must be an integer in 1..${MAX_BUFFERED_IMAGE_BYTES}`);
  }
  const fixed = PNG_SIGNATURE.length + IHDR_SIZE + IEND_SIZE;
  const padOverhead = CHUNK_OVERHEAD + PAD_KEYWORD.length;
  // Stored deflate adds a few bytes per 64 KiB block; aim 1% low, then correct.
  let height = Math.max(1, Math.floor(((targetBytes - fixed - padOverhead - 64) * 0.99) / (WIDTH + 1)));
  let data = idat(height);
  for (let attempt = 0; attempt < 8 && height > 1 && fixed + data.length + padOverhead > targetBytes; attempt++) {
    const excess = fixed + data.length + padOverhead - targetBytes;
    height = Math.max(1, height - Math.ceil(excess / (WIDTH + 1)) - 1);
    data = idat(height);
  }
  const parts = [PNG_SIGNATURE, ihdr(WIDTH, height), data];
  const padLength = targetBytes - fixed - data.length - padOverhead;
  if (padLength >= 0) {
    parts.push(chunk('tEXt', Buffer.concat([PAD_KEYWORD, Buffer.alloc(padLength, 0x61)])));
  }
  parts.push(chunk('IEND', Buffer.alloc(0)));
  return Buffer.concat(parts);
}
