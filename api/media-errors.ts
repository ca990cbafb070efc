import { AppError, ForbiddenError, NotFoundError } from '../lib/errors';
import type { ImageFetchError } from '../services/media/image-fetch';

/** How a failed fetch of upstream media (an image, a clip) reads to the client. */
export function mediaFetchError(err: ImageFetchError, noun: string): AppError {
  switch (err.kind) {
    case 'blocked':
      return new ForbiddenError(`${noun} address refused: ${err.message}`, { cause: err });
    case 'bad_url':
      return new AppError('upstream', 502, `the upstream gave an unusable ${noun} URL: ${err.message}`, { cause: err });
    case 'timeout':
      return new AppError('upstream', 504, err.message, { cause: err });
    case 'upstream_status':
      return err.status === 404 ? new NotFoundError(`the upstream no longer has this ${noun}`) : new AppError('upstream', 502, err.message, { cause: err });
    default:
      return new AppError('upstream', 502, err.message, { cause: err });
  }
}
