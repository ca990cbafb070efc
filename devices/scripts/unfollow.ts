import { followTargetsSchema, onePerTargetUser, type FollowTargetsConfig } from '../config/targets';
import { defineScript } from './define';
import { describeList, openProfile } from './shared';

export const unfollowSchema = followTargetsSchema;
export type UnfollowConfig = FollowTargetsConfig;

export const unfollowScript = defineScript<UnfollowConfig>({
  name: 'unfollow',
  schema: unfollowSchema,
  fanOut: onePerTargetUser,
  async run(ctx, config) {
    const { session, ui } = ctx;
    const outcomes: string[] = [];
    for (const user of config.target_users) {
      await openProfile(ctx, user, config.access_method);
      if (!(await session.exists(ui.profile.followingButton))) {
        outcomes.push(`not following @${user}`);
        continue;
      }
      await session.tap(ui.profile.followingButton);
      // TikTok asks for confirmation on some versions only
      if (await session.exists(ui.profile.unfollowConfirm, 1_000)) await session.tap(ui.profile.unfollowConfirm);
      outcomes.push(`unfollowed @${user}`);
    }
    return { remark: describeList(outcomes) };
  },
});
