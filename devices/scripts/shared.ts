import { splitLines } from '../config/fields';
import type { ScriptContext } from './define';

/** Opens a user's profile the way `access_method` says and checks it is the right one. */
export async function openProfile(ctx: ScriptContext, username: string, accessMethod: 'direct' | 'search'): Promise<void> {
  const { session, ui } = ctx;
  const opened = accessMethod === 'direct' && (await session.openUrl(`https://www.tiktok.com/@${username}`, `profile of @${username}`));
  if (!opened) {
    // search is also the fallback when the driver cannot deep link
    await session.tap(ui.nav.searchButton);
    await session.type(ui.search.input, username);
    await session.tap(ui.search.submit);
    await session.tap(ui.search.usersTab);
    await session.tap(ui.search.userResult(username));
  }
  await session.waitFor(ui.profile.handle(username));
}

/** `random` picks any item; `sequential` cycles through them by the task's job index. */
export function pick<T>(items: readonly T[], order: 'random' | 'sequential', index: number, random: () => number): T | undefined {
  if (items.length === 0) return undefined;
  const at = order === 'sequential' ? index % items.length : Math.floor(random() * items.length);
  return items[at];
}

const EMOJI = ['😀', '😂', '😍', '🔥', '👏', '💯', '🙌', '❤️', '✨', '👍', '🥰', '😎'];

export function withEmoji(text: string, random: () => number): string {
  return `${text} ${EMOJI[Math.floor(random() * EMOJI.length)]}`;
}

/**
 * Resolves `{a|b|c}` groups (nested groups too), choosing one option per group.
 * Parse-time validation guarantees the braces balance.
 */
export function spin(text: string, random: () => number): string {
  let current = text;
  // innermost groups first; bounded because every pass removes at least one group
  for (let pass = 0; pass < 1000; pass++) {
    const next = current.replace(/\{([^{}]*)\}/, (_, body: string) => {
      const options = body.split('|');
      return options[Math.floor(random() * options.length)] ?? '';
    });
    if (next === current) return current;
    current = next;
  }
  return current;
}

export interface CommentSource {
  templates: string;
  order: 'random' | 'sequential';
  insertEmoji: boolean;
}

/** Picks a template line (random or sequential by `index`) and decorates it. */
export function commentFromTemplates(source: CommentSource, index: number, random: () => number): string | undefined {
  const line = pick(splitLines(source.templates), source.order, index, random);
  if (line === undefined) return undefined;
  const text = spin(line, random);
  return source.insertEmoji ? withEmoji(text, random) : text;
}

export function describeList(items: string[]): string {
  return items.length === 0 ? 'nothing' : items.join('; ');
}
