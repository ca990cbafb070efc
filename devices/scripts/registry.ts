import type { ScriptName } from '../contract';
import { accountWarmupScript } from './account_warmup';
import { commentScript } from './comment';
import type { ScriptDefinition } from './define';
import { followScript } from './follow';
import { loginScript } from './login';
import { matchAccountScript } from './match_account';
import { postScript } from './post';
import { profileScript } from './profile';
import { unfollowScript } from './unfollow';

// Each definition is typed by its own config; the registry erases that to the contract's record type.
type AnyScript = ScriptDefinition<Record<string, unknown>>;

export const SCRIPTS: Record<ScriptName, AnyScript> = {
  post: postScript as unknown as AnyScript,
  follow: followScript as unknown as AnyScript,
  unfollow: unfollowScript as unknown as AnyScript,
  account_warmup: accountWarmupScript as unknown as AnyScript,
  comment: commentScript as unknown as AnyScript,
  login: loginScript as unknown as AnyScript,
  profile: profileScript as unknown as AnyScript,
  match_account: matchAccountScript as unknown as AnyScript,
};
