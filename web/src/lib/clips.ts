import type { Task } from '../api/types';

export interface Clip {
  id: string;
  title?: string;
  audio_url?: string;
  image_url?: string;
  status?: string;
}

/** A finished Suno task's `data` is the upstream's clip list; anything else has no clips. */
export function clipsOf(task: Pick<Task, 'data' | 'platform'>): Clip[] {
  const data = task.data as unknown;
  if (!Array.isArray(data)) return [];
  return data.filter((c): c is Clip => typeof c === 'object' && c !== null && typeof (c as Clip).id === 'string');
}

/** Played through taskhub (GET /suno/audio/:task_id/:clip_id), so the page talks to no other host. */
export const clipAudioSrc = (taskId: string, clipId: string) => `/suno/audio/${encodeURIComponent(taskId)}/${encodeURIComponent(clipId)}`;
