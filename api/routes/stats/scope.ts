import { Role, type IUser } from '../../../db/entities';
import { ForbiddenError } from '../../../lib/errors';

/** The user whose rows a chart covers: the caller's own, or everyone's for an admin asking for `all`. */
export function statsUserId(caller: IUser, scope: 'self' | 'all'): number | undefined {
  if (scope === 'self') return caller.id;
  if (caller.role < Role.admin) throw new ForbiddenError('scope=all needs the admin role');
  return undefined;
}
