import { followTargetsSchema, onePerTargetUser, type FollowTargetsConfig } from '../config/targets';
import { defineScript } from './define';
import { describeList, openProfile } from './shared';

export const followSchema = followTargetsSchema;
export type FollowConfig = FollowTargetsConfig;

export const followScript = defineScript<FollowConfig>({
  name: 'follow',
  schema: followSchema,
  fanOut: onePerTargetUser,
  async run(ctx, config) {
    const { session, ui } = ctx;
    const outcomes: string[] = [];
    for (const user of config.target_users) {
      await openProfile(ctx, user, config.access_method);
      if (await session.exists(ui.profile.followingButton)) {
        outcomes.push(`already following @${user}`);
        continue;
      }
      await session.tap(ui.profile.followButton);
      outcomes.push(`followed @${user}`);
    }
    return { remark: describeList(outcomes) };
  },
});
