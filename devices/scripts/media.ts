import fs from 'node:fs';
import path from 'node:path';
import { DeviceScriptError } from '../contract';

/**
 * Local files the scripts push to phones live on the worker host. TikMatrix resolves
 * relative paths against its `work_dir/upload/`; ours is TASKHUB_UPLOAD_DIR (default
 * `./data/upload`), passed in as `uploadDir`.
 */
export function resolveLocalFile(uploadDir: string, file: string, field: string): string {
  const full = path.isAbsolute(file) ? file : path.join(uploadDir, file);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(full);
  } catch {
    throw new DeviceScriptError('invalid_config', `${field}: file not found on the worker: ${full}`);
  }
  if (!stat.isFile()) throw new DeviceScriptError('invalid_config', `${field}: not a file: ${full}`);
  return full;
}

export const VIDEO_EXTENSIONS = ['.mp4', '.mov', '.m4v', '.webm', '.3gp', '.mkv', '.avi'];
export const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.webp', '.heic', '.bmp', '.gif'];

export function isVideo(file: string): boolean {
  return VIDEO_EXTENSIONS.includes(path.extname(file).toLowerCase());
}

export function isImage(file: string): boolean {
  return IMAGE_EXTENSIONS.includes(path.extname(file).toLowerCase());
}

/** Files of a folder (not recursive), sorted by name so `sequential` orders are stable. */
export function listFolder(uploadDir: string, folder: string, field: string, keep: (file: string) => boolean): string[] {
  const full = path.isAbsolute(folder) ? folder : path.join(uploadDir, folder);
  let names: string[];
  try {
    names = fs.readdirSync(full);
  } catch {
    throw new DeviceScriptError('invalid_config', `${field}: folder not found on the worker: ${full}`);
  }
  return names
    .sort()
    .map((n) => path.join(full, n))
    .filter((f) => keep(f) && fs.statSync(f).isFile());
}

export function mimeTypeOf(file: string): string {
  const ext = path.extname(file).toLowerCase();
  if (isVideo(file)) return ext === '.mov' ? 'video/quicktime' : `video/${ext === '.3gp' ? '3gpp' : ext.slice(1)}`;
  if (ext === '.jpg' || ext === '.jpeg') return 'image/jpeg';
  return `image/${ext.slice(1)}`;
}
