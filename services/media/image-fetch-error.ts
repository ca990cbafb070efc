/** How `fetchImage` fails; its own file so that every part of the fetch can throw it. */
export type ImageFetchErrorKind =
  'bad_url' | 'blocked' | 'unreachable' | 'timeout' | 'too_large' | 'too_many_redirects' | 'upstream_status' | 'not_image' | 'aborted';

export class ImageFetchError extends Error {
  constructor(
    readonly kind: ImageFetchErrorKind,
    message: string,
    /** The upstream's HTTP status, for `upstream_status`. */
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ImageFetchError';
  }
}

/** An error's message, led by its errno code when the message leaves it out. */
export function describeError(err: Error): string {
  const code = (err as NodeJS.ErrnoException).code;
  return code && !err.message.includes(code) ? `${code} ${err.message}` : err.message;
}
