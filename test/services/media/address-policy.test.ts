import { categorizeAddress, isPublicAddress } from '../../../services/media/address-policy';

describe('address policy', () => {
  test.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link_local'],
    ['100.64.0.1', 'shared'],
    ['100.127.255.255', 'shared'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['192.0.0.8', 'reserved'],
    ['192.0.2.1', 'documentation'],
    ['203.0.113.9', 'documentation'],
  ])('IPv4 %s is %s', (address, category) => {
    expect(categorizeAddress(address)).toBe(category);
    expect(isPublicAddress(address)).toBe(false);
  });

  test.each([
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::', 'unspecified'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['fe80::1', 'link_local'],
    ['fe80::1%eth0', 'link_local'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['2001::1', 'reserved'],
    ['::127.0.0.1', 'reserved'],
    ['4000::1', 'reserved'],
  ])('IPv6 %s is %s', (address, category) => {
    expect(categorizeAddress(address)).toBe(category);
  });

  test.each([
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::FFFF:A9FE:A9FE', 'link_local'],
    ['::ffff:10.0.0.1', 'private'],
    ['64:ff9b::192.168.0.1', 'private'],
    ['2002:7f00:1::1', 'loopback'],
  ])('IPv6 %s carrying an IPv4 address is judged by it: %s', (address, category) => {
    expect(categorizeAddress(address)).toBe(category);
  });

  test.each([
    '8.8.8.8',
    '1.1.1.1',
    '172.32.0.1',
    '100.128.0.1',
    '169.253.255.255',
    '11.0.0.1',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1',
  ])('%s is public', (address) => {
    expect(categorizeAddress(address)).toBe('public');
    expect(isPublicAddress(address)).toBe(true);
  });

  test.each(['example.com', '', '1.2.3', '0x7f.1', '2130706433', '::ffff:999.0.0.1'])('%j is not an IP address and never public', (text) => {
    expect(categorizeAddress(text)).toBe('not_an_ip');
    expect(isPublicAddress(text)).toBe(false);
  });
});
