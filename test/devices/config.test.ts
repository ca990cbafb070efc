import { SCRIPT_NAMES, fanOut, parseScriptConfig, type ScriptName } from '../../devices';

function ok(name: string, raw: unknown): Record<string, unknown> {
  const parsed = parseScriptConfig(name, raw);
  if (!parsed.ok) throw new Error(`expected ${name} config to parse, got ${parsed.code}: ${parsed.message}`);
  return parsed.config;
}

function bad(name: string, raw: unknown): string {
  const parsed = parseScriptConfig(name, raw);
  if (parsed.ok) throw new Error(`expected ${name} config to be rejected, got ${JSON.stringify(parsed.config)}`);
  expect(parsed.code).toBe(40001);
  return parsed.message;
}

/** A minimal valid config per script, used for the cross-script properties below. */
const MINIMAL: Record<ScriptName, Record<string, unknown>> = {
  post: { material_list: ['/media/clip.mp4'] },
  follow: { target_users: ['alice'] },
  unfollow: { target_user: 'alice' },
  account_warmup: {},
  comment: { target_post_url: 'https://www.tiktok.com/@alice/video/7312345678901234567', comment_content: 'nice' },
  login: { password: 'secret' },
  profile: { nicknames: 'Alice' },
  match_account: {},
};

describe('parseScriptConfig: script names', () => {
  it('answers 40003 for scripts TikMatrix does not offer over the API', () => {
    for (const name of ['like', 'message', 'super_marketing', 'scrape_user', 'match_accounts', '']) {
      const parsed = parseScriptConfig(name, {});
      expect(parsed).toMatchObject({ ok: false, code: 40003 });
      if (!parsed.ok) expect(parsed.message).toContain(`"${name}"`);
    }
  });

  it.each(SCRIPT_NAMES)('accepts a minimal %s config, and its output parses to itself (safe to store and re-parse)', (name) => {
    const first = ok(name, MINIMAL[name]);
    expect(ok(name, first)).toEqual(first);
  });

  it.each(SCRIPT_NAMES)('rejects a %s config that is not an object with 40001', (name) => {
    expect(bad(name, 'follow alice')).toMatch(/expected object/);
  });

  it('treats null fields as absent so their defaults apply', () => {
    expect(ok('account_warmup', { task_duration: null, topic: null })).toMatchObject({ task_duration: 600, topic: '' });
  });
});

describe('follow / unfollow config', () => {
  it.each(['follow', 'unfollow'])('%s: target_users wins over target_user, names are normalised and deduplicated', (name) => {
    expect(ok(name, { target_users: ['@Alice', 'bob', 'https://www.tiktok.com/@carol.x', 'bob'], target_user: 'ignored' })).toEqual({
      target_users: ['Alice', 'bob', 'carol.x'],
      access_method: 'direct',
    });
  });

  it('splits target_user on newlines and commas', () => {
    expect(ok('follow', { target_user: 'alice\n@bob, carol\r\n\n', access_method: 'search' })).toEqual({
      target_users: ['alice', 'bob', 'carol'],
      access_method: 'search',
    });
  });

  it('falls back to target_user when target_users is empty', () => {
    expect(ok('unfollow', { target_users: [], target_user: 'dave' })).toMatchObject({ target_users: ['dave'] });
  });

  it('requires at least one user', () => {
    expect(bad('follow', {})).toContain('script_config.target_users: name at least one user');
    expect(bad('unfollow', { target_user: ' , \n' })).toContain('target_users');
  });

  it('names the bad entry and the bad access_method', () => {
    expect(bad('follow', { target_users: ['alice', 'not a name!'] })).toContain('script_config.target_users[1]: "not a name!" is not a TikTok username');
    expect(bad('follow', { target_users: ['alice'], access_method: 'teleport' })).toContain('script_config.access_method');
  });
});

describe('comment config', () => {
  const url = 'https://www.tiktok.com/@alice/video/7312345678901234567';

  it('fills defaults', () => {
    expect(ok('comment', { target_post_urls: [url], comment_content: 'Great!\nLove it' })).toEqual({
      target_post_urls: [url],
      comment_content: 'Great!\nLove it',
      comment_order: 'random',
      insert_emoji: false,
      comment_image_path: '',
      job_index: 0,
    });
  });

  it('accepts the documented URL forms and normalises them to https', () => {
    const config = ok('comment', {
      target_post_url: 'tiktok.com/@bob/video/7312345678901234568?lang=en vm.tiktok.com/ZMabc123/\nhttps://vt.tiktok.com/ZSxyz789/',
      comment_content: 'hi',
    });
    expect(config.target_post_urls).toEqual([
      'https://tiktok.com/@bob/video/7312345678901234568',
      'https://vm.tiktok.com/ZMabc123/',
      'https://vt.tiktok.com/ZSxyz789/',
    ]);
  });

  it('target_post_urls wins over target_post_url', () => {
    expect(ok('comment', { target_post_urls: [url], target_post_url: 'garbage', comment_content: 'x' }).target_post_urls).toEqual([url]);
  });

  it('requires comment_content with at least one line', () => {
    expect(bad('comment', { target_post_urls: [url] })).toContain('script_config.comment_content: is required');
    expect(bad('comment', { target_post_urls: [url], comment_content: ' \n ' })).toContain('script_config.comment_content: must hold at least one comment');
  });

  it('rejects non-TikTok and Instagram URLs with the reason', () => {
    expect(bad('comment', { target_post_urls: ['https://example.com/x'], comment_content: 'x' })).toContain(
      'script_config.target_post_urls[0]: "https://example.com/x" is not a TikTok post URL',
    );
    expect(bad('comment', { target_post_url: 'https://www.instagram.com/reel/Cabc123/', comment_content: 'x' })).toContain('Instagram link');
    expect(bad('comment', { comment_content: 'x' })).toContain('script_config.target_post_urls');
  });

  it('validates comment_order and insert_emoji, accepting 0/1 flags', () => {
    expect(ok('comment', { target_post_urls: [url], comment_content: 'x', insert_emoji: 1, comment_order: 'sequential' })).toMatchObject({
      insert_emoji: true,
      comment_order: 'sequential',
    });
    expect(bad('comment', { target_post_urls: [url], comment_content: 'x', comment_order: 'shuffled' })).toContain('script_config.comment_order');
    expect(bad('comment', { target_post_urls: [url], comment_content: 'x', insert_emoji: 'yes please' })).toContain('script_config.insert_emoji');
  });
});

describe('account_warmup config', () => {
  it('fills every documented default', () => {
    expect(ok('account_warmup', {})).toEqual({
      task_duration: 600,
      topic: '',
      min_duration: 15,
      max_duration: 30,
      like_probable: 0,
      floow_probable: 0,
      collect_probable: 0,
      comment_probable: 0,
      comment: '',
      insert_emoji: false,
      comment_order: 'random',
      generate_by_chatgpt: false,
      chatgpt_settings: {
        api_key: '',
        model: 'gpt-3.5-turbo',
        prompt: expect.any(String),
        max_tokens: 100,
        temperature: 0.7,
        base_url: 'https://api.openai.com/v1',
      },
      job_index: 0,
    });
  });

  it('accepts numbers sent as strings', () => {
    expect(ok('account_warmup', { task_duration: '90', like_probable: '25', min_duration: '1.5', max_duration: 2 })).toMatchObject({
      task_duration: 90,
      like_probable: 25,
      min_duration: 1.5,
    });
  });

  it('keeps probabilities within 0–100 and durations sane', () => {
    expect(bad('account_warmup', { like_probable: 101 })).toContain('script_config.like_probable');
    expect(bad('account_warmup', { floow_probable: -1 })).toContain('script_config.floow_probable');
    expect(bad('account_warmup', { collect_probable: 'often' })).toContain('script_config.collect_probable');
    expect(bad('account_warmup', { task_duration: 0 })).toContain('script_config.task_duration');
    expect(bad('account_warmup', { task_duration: 1.5 })).toContain('script_config.task_duration');
    expect(bad('account_warmup', { min_duration: 40, max_duration: 30 })).toContain('script_config.min_duration: must not exceed max_duration (30)');
  });

  it('needs comment templates or ChatGPT when it may comment', () => {
    expect(bad('account_warmup', { comment_probable: 10 })).toContain('script_config.comment: needs at least one comment template');
    expect(ok('account_warmup', { comment_probable: 10, comment: 'nice' })).toMatchObject({ comment_probable: 10 });
  });

  it('needs an api_key when generate_by_chatgpt is on, and validates chatgpt_settings', () => {
    expect(bad('account_warmup', { generate_by_chatgpt: true })).toContain(
      'script_config.chatgpt_settings.api_key: is required when generate_by_chatgpt is true',
    );
    expect(ok('account_warmup', { generate_by_chatgpt: true, comment_probable: 5, chatgpt_settings: { api_key: 'sk-x', model: 'gpt-4o-mini' } })).toMatchObject(
      {
        chatgpt_settings: { api_key: 'sk-x', model: 'gpt-4o-mini', max_tokens: 100, temperature: 0.7 },
      },
    );
    expect(bad('account_warmup', { chatgpt_settings: { temperature: 3 } })).toContain('script_config.chatgpt_settings.temperature');
    expect(bad('account_warmup', { chatgpt_settings: { base_url: 'ftp://x' } })).toContain('script_config.chatgpt_settings.base_url: must be an http(s) URL');
  });
});

describe('post config', () => {
  it('fills every documented default', () => {
    expect(ok('post', { material_list: ['/media/a.mp4'] })).toEqual({
      content_type: 0,
      image_count: 1,
      captions: '',
      post_way: 'share',
      material_source: 'materialLibrary',
      material_path: '',
      material_list: ['/media/a.mp4'],
      materials_tags: '',
      upload_wait_time: 30,
      sound_wait_time: 10,
      add_sound: '-1',
      sound_name: '',
      custom_sound_keyword: '',
      origin_sound_volume: 50,
      add_sound_volume: 50,
      add_product_link: 0,
      placement: 'reel',
    });
  });

  it('normalises TikMatrix loose types: content_type "1", add_sound -1 / 1, add_product_link true', () => {
    expect(ok('post', { content_type: '1', material_list: ['/m/a.jpg'], add_sound: 1, add_product_link: true })).toMatchObject({
      content_type: 1,
      add_sound: '1',
      add_product_link: 1,
    });
    expect(ok('post', { material_list: ['/m/a.mp4'], add_sound: -1 })).toMatchObject({ add_sound: '-1' });
  });

  it('needs materials: material_list, or a local folder', () => {
    expect(bad('post', {})).toContain('script_config.material_list: is required');
    expect(bad('post', { material_source: 'localFolder' })).toContain('script_config.material_path: is required when material_source is "localFolder"');
    expect(ok('post', { material_source: 'localFolder', material_path: '/media/videos' })).toMatchObject({ material_path: '/media/videos' });
  });

  it('checks the materials fit content_type', () => {
    expect(bad('post', { material_list: ['/m/a.jpg'] })).toContain('has no video file');
    expect(bad('post', { content_type: 1, material_list: ['/m/a.mp4'] })).toContain('has no image file');
    expect(bad('post', { content_type: 2, material_list: ['/m/a.mp4'] })).toContain('script_config.content_type');
  });

  it('enforces the conditional fields: sound_name for useSound, custom_sound_keyword for custom', () => {
    expect(bad('post', { material_list: ['/m/a.mp4'], post_way: 'useSound' })).toContain('script_config.sound_name: is required when post_way is "useSound"');
    expect(bad('post', { material_list: ['/m/a.mp4'], add_sound: 'custom' })).toContain(
      'script_config.custom_sound_keyword: is required when add_sound is "custom"',
    );
  });

  it('rejects unbalanced spintax and out-of-range numbers', () => {
    expect(bad('post', { material_list: ['/m/a.mp4'], captions: '{Hello|Hi there' })).toContain(
      'script_config.captions: spintax has a "{" without a matching "}"',
    );
    expect(bad('post', { material_list: ['/m/a.mp4'], origin_sound_volume: 150 })).toContain('script_config.origin_sound_volume');
    expect(bad('post', { content_type: 1, material_list: ['/m/a.png'], image_count: 0 })).toContain('script_config.image_count');
    expect(bad('post', { material_list: ['/m/a.mp4'], upload_wait_time: -5 })).toContain('script_config.upload_wait_time');
    expect(bad('post', { material_list: ['/m/a.mp4'], placement: 'feed' })).toContain('script_config.placement');
    expect(bad('post', { material_list: ['/m/a.mp4'], post_way: 'airdrop' })).toContain('script_config.post_way');
  });
});

describe('login config', () => {
  it('requires a password, and checks email and username shapes', () => {
    expect(bad('login', {})).toContain('script_config.password: is required');
    expect(bad('login', { password: 'x', email: 'not-an-email' })).toContain('script_config.email: "not-an-email" is not an email address');
    expect(bad('login', { password: 'x', username: 'two words' })).toContain('script_config.username');
    expect(ok('login', { password: 'pw', email: ' a@b.co ', username: '@alice' })).toEqual({ email: 'a@b.co', username: 'alice', password: 'pw' });
  });
});

describe('profile config', () => {
  it('fills defaults', () => {
    expect(ok('profile', { bios: 'hello' })).toEqual({
      profile_order: 'random',
      nicknames: '',
      usernames: '',
      bios: 'hello',
      link_url: '',
      avatars_path: '',
      job_index: 0,
    });
  });

  it('needs something to change, and checks each field against TikTok limits', () => {
    expect(bad('profile', {})).toContain('set at least one of nicknames, usernames, bios, link_url, avatars_path');
    expect(bad('profile', { nicknames: 'x'.repeat(31) })).toContain('script_config.nicknames');
    expect(bad('profile', { usernames: 'good_one\nbad one' })).toContain('script_config.usernames: "bad one" is not a TikTok username');
    expect(bad('profile', { bios: 'y'.repeat(81) })).toContain('script_config.bios');
    expect(bad('profile', { link_url: 'not a link' })).toContain('script_config.link_url');
    expect(bad('profile', { avatars_path: 'relative/dir' })).toContain('script_config.avatars_path: must be an absolute folder path');
    expect(bad('profile', { nicknames: 'A', profile_order: 'alphabetical' })).toContain('script_config.profile_order');
  });
});

describe('match_account config', () => {
  it('takes no options and ignores unknown keys', () => {
    expect(ok('match_account', { anything: 1 })).toEqual({});
    expect(ok('match_account', undefined)).toEqual({});
  });
});

describe('fanOut', () => {
  it('gives follow and unfollow one config per target user', () => {
    const config = ok('follow', { target_user: 'a,b,c' });
    const parts = fanOut('follow', config);
    expect(parts).toHaveLength(3);
    expect(parts.map((p) => p.target_users)).toEqual([['a'], ['b'], ['c']]);
    expect(parts.every((p) => p.access_method === 'direct')).toBe(true);
    expect(fanOut('unfollow', ok('unfollow', { target_users: ['x', 'y'] }))).toHaveLength(2);
  });

  it('gives comment one config per post URL, advancing job_index for sequential order', () => {
    const config = ok('comment', {
      target_post_urls: ['https://www.tiktok.com/@a/video/1111111111', 'https://vm.tiktok.com/ZMabcd/'],
      comment_content: 'one\ntwo',
      comment_order: 'sequential',
      job_index: 4,
    });
    const parts = fanOut('comment', config);
    expect(parts.map((p) => [p.target_post_urls, p.job_index])).toEqual([
      [['https://www.tiktok.com/@a/video/1111111111'], 4],
      [['https://vm.tiktok.com/ZMabcd/'], 5],
    ]);
    // each part is itself a valid config
    for (const part of parts) expect(ok('comment', part)).toEqual(part);
  });

  it.each(['post', 'account_warmup', 'login', 'profile', 'match_account'] as const)('keeps %s as one task', (name) => {
    const config = ok(name, MINIMAL[name]);
    expect(fanOut(name, config)).toEqual([config]);
  });
});
