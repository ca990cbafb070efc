import type { Locator } from '../session/types';

/**
 * Every TikTok element the scripts touch, in one place: a TikTok UI change is a fix here
 * and nowhere else.
 *
 * Rules (see devices/session/types.ts for why): resource ids through the `id` strategy,
 * prefixed with the account's app package (clone apps such as `com.zhiliaoapp.musically.gb`
 * or `com.ss.android.ugc.trill` keep TikTok's layout under their own package), or xpath on
 * `@text` where the visible label carries the state ("Follow" vs "Following").
 *
 * The resource-id names below are the contract with the test fixtures
 * (test/devices/fixtures/*.xml). TikTok ships obfuscated ids that change between app
 * versions: when pointing at a real phone, read the installed version's ids with Appium
 * Inspector and map them here. Text selectors assume the phone's UI language is English.
 */

export const DEFAULT_TIKTOK_PACKAGE = 'com.zhiliaoapp.musically';

/** XPath string literal for arbitrary text (handles both quote kinds). */
export function xpathLiteral(value: string): string {
  if (!value.includes('"')) return `"${value}"`;
  if (!value.includes("'")) return `'${value}'`;
  return `concat(${value
    .split('"')
    .map((part) => `"${part}"`)
    .join(`, '"', `)})`;
}

const byText = (label: string, ...texts: string[]): Locator => ({
  using: 'xpath',
  value: `//*[${texts.map((t) => `@text=${xpathLiteral(t)}`).join(' or ')}]`,
  label,
});

export function tiktokSelectors(appPackage: string = DEFAULT_TIKTOK_PACKAGE) {
  const id = (name: string, label: string): Locator => ({ using: 'id', value: `${appPackage}:id/${name}`, label });

  return {
    nav: {
      homeTab: id('tab_home', 'Home tab'),
      createButton: id('tab_create', 'create (+) button'),
      profileTab: id('tab_profile', 'Profile tab'),
      searchButton: id('home_search', 'search button'),
    },
    search: {
      input: id('search_input', 'search box'),
      submit: id('search_submit', 'search submit button'),
      usersTab: byText('Users tab', 'Users'),
      videosTab: byText('Videos tab', 'Videos'),
      userResult: (username: string) => byText(`search result @${username}`, username, `@${username}`),
      firstVideo: id('search_video_cover', 'first video result'),
      soundsTab: byText('Sounds tab', 'Sounds'),
      firstSound: id('search_sound_item', 'first sound result'),
    },
    profile: {
      handle: (username: string) => byText(`profile header @${username}`, `@${username}`),
      followButton: byText('follow button', 'Follow', 'Follow back'),
      followingButton: byText('following button', 'Following', 'Friends'),
      unfollowConfirm: byText('unfollow confirmation', 'Unfollow'),
      ownHandle: id('profile_username', 'own username'),
      editProfileButton: byText('Edit profile button', 'Edit profile'),
      accountSwitcher: id('account_switcher', 'account switcher'),
      switcherAccount: id('switcher_account_name', 'account in switcher'),
      switcherClose: id('switcher_close', 'close account switcher'),
    },
    editProfile: {
      changePhoto: byText('Change photo', 'Change photo'),
      pickFromGallery: byText('Select from gallery', 'Select from gallery', 'Upload photo'),
      nameRow: id('edit_name_row', 'Name row'),
      nameInput: id('edit_name_input', 'name field'),
      usernameRow: id('edit_username_row', 'Username row'),
      usernameInput: id('edit_username_input', 'username field'),
      bioRow: id('edit_bio_row', 'Bio row'),
      bioInput: id('edit_bio_input', 'bio field'),
      linkRow: id('edit_link_row', 'Website row'),
      linkInput: id('edit_link_input', 'website field'),
      save: byText('Save button', 'Save'),
    },
    gallery: {
      firstItem: id('gallery_item', 'first gallery item'),
      // @id is the fixture attribute, @resource-id UiAutomator2's: the union works on both
      item: (n: number): Locator => ({
        using: 'xpath',
        value: `(//*[@id="${appPackage}:id/gallery_item" or @resource-id="${appPackage}:id/gallery_item"])[${n}]`,
        label: `gallery item ${n}`,
      }),
      nextButton: byText('Next button', 'Next'),
      confirmButton: byText('Confirm button', 'Confirm', 'Done'),
      photoModeTab: byText('Photo tab', 'Photo'),
    },
    feed: {
      videoPlayer: id('feed_video', 'feed video'),
      likeButton: id('feed_like', 'like button'),
      followCreator: id('feed_follow', 'follow-creator (+) button'),
      favoriteButton: id('feed_favorite', 'favorites button'),
      commentButton: id('feed_comment', 'comment button'),
      caption: id('feed_caption', 'video caption'),
    },
    comments: {
      input: id('comment_input', 'comment box'),
      imageButton: id('comment_image', 'comment image button'),
      send: id('comment_send', 'send comment button'),
      close: id('comments_close', 'close comments button'),
    },
    compose: {
      uploadButton: byText('Upload button', 'Upload'),
      titleInput: id('post_title_input', 'title field'),
      captionInput: id('post_caption_input', 'caption field'),
      soundButton: id('editor_sound', 'Add sound button'),
      soundSearchInput: id('sound_search_input', 'sound search box'),
      soundFirstResult: id('sound_result', 'first sound result'),
      soundRecommended: id('sound_recommended', 'first recommended sound'),
      soundOff: byText('No sound option', 'No sound', 'Remove sound'),
      volumeButton: byText('Volume button', 'Volume'),
      originalVolume: id('volume_original', 'original sound volume slider'),
      addedVolume: id('volume_added', 'added sound volume slider'),
      volumeDone: id('volume_done', 'volume Done button'),
      useSoundButton: byText('Use this sound button', 'Use this sound'),
      addLinkButton: byText('Add link button', 'Add link'),
      productOption: byText('Products option', 'Products'),
      firstProduct: id('product_item', 'first product'),
      addProduct: byText('Add product button', 'Add'),
      postButton: byText('Post button', 'Post'),
      uploadDone: byText('upload finished banner', 'Your post is ready', 'Posted'),
    },
    login: {
      loginEntry: byText('Log in button', 'Log in'),
      usePhoneEmail: byText('Use phone / email / username', 'Use phone / email / username'),
      emailUsernameTab: byText('Email / Username tab', 'Email / Username'),
      identifierInput: id('login_identifier', 'email or username field'),
      passwordInput: id('login_password', 'password field'),
      submit: id('login_submit', 'log in submit button'),
      verification: byText('verification challenge', 'Verify to continue', 'Enter 6-digit code', 'Drag the slider to fit the puzzle'),
      loginError: id('login_error', 'login error message'),
      addAccount: byText('Add account', 'Add account'),
    },
  } as const;
}

export type TiktokSelectors = ReturnType<typeof tiktokSelectors>;

/** Where pushed media lands on the phone; the gallery picker lists DCIM. */
export const DEVICE_MEDIA_DIR = '/sdcard/DCIM/taskhub';
