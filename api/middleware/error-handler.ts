import type { Middleware } from 'koa';
import { AppError, InternalError, NotFoundError, PayloadTooLargeError, UnavailableError, ValidationError } from '../../lib/errors';
import { familyForPath, renderError } from '../families';
import { unreachableService } from './outage';

/**
 * The one place errors become responses. It runs first, so anything thrown
 * below — our AppErrors, body-parser failures, router 404/405s, bugs — is
 * answered in the envelope of the route family the path belongs to.
 */
export function errorHandler(): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new NotFoundError(`no route for ${ctx.method} ${ctx.path}`);
    } catch (thrown) {
      const err = toAppError(thrown);
      const rendered = renderError(familyForPath(ctx.path), err, ctx.state.requestId);
      ctx.status = rendered.status;
      ctx.body = rendered.body;
      if (err.status >= 500) ctx.app.emit('error', thrown, ctx);
    }
  };
}

function toAppError(thrown: unknown): AppError {
  if (thrown instanceof AppError) return thrown;
  const status = (thrown as { status?: number; statusCode?: number })?.status ?? (thrown as { statusCode?: number })?.statusCode;
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  if (status === 413) return new PayloadTooLargeError('request body too large');
  if (status === 400 || status === 415 || status === 422) return new ValidationError(`malformed request body: ${message}`);
  if (status === 404) return new NotFoundError(message);
  if (status === 405) return new AppErrorWithStatus(405, message);
  if (status === 503) return new UnavailableError(message);
  const down = unreachableService(thrown);
  if (down) return new UnavailableError(`${down === 'database' ? 'the database' : 'Temporal'} cannot be reached; try again shortly`, { cause: thrown });
  return new InternalError('internal server error', { cause: thrown });
}

class AppErrorWithStatus extends AppError {
  constructor(status: number, message: string) {
    super('validation', status, message);
  }
}
