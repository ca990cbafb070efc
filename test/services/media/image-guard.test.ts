import { fetchImage, type ResolvedAddress } from '../../../services/media/image-fetch';
import { closeUpstreams, collect, failure, options, PNG, servePng, startUpstream } from './upstream';

jest.setTimeout(10_000);
afterEach(closeUpstreams);

describe('fetchImage guard', () => {
  test('the same address is refused when its host is not trusted, and nothing is sent to it', async () => {
    const up = await startUpstream((_req, res) => servePng(res));

    expect(await failure(fetchImage(up.url(), options({ trustedHosts: ['127.0.0.1:1'] })))).toMatchObject({ kind: 'blocked' });
    expect(up.exchanges).toHaveLength(0);
  });

  test.each([
    'http://127.0.0.1/a.png',
    'http://10.0.0.1/a.png',
    'http://172.20.1.1:8080/a.png',
    'http://192.168.1.10/a.png',
    'http://169.254.169.254/latest/meta-data/',
    'http://100.64.0.1/a.png',
    'http://[::1]/a.png',
    'http://[::ffff:127.0.0.1]/a.png',
    'http://[fd00::1]/a.png',
    'http://[fe80::1]/a.png',
    'http://0.0.0.0/a.png',
    'http://2130706433/a.png',
    'http://0x7f.1/a.png',
    'http://0177.0.0.1/a.png',
    'https://255.255.255.255/a.png',
    'http://224.0.0.1/a.png',
  ])('refuses the literal address in %s', async (url) => {
    const lookup = jest.fn(async (): Promise<ResolvedAddress[]> => []);

    expect(await failure(fetchImage(url, options({ lookup })))).toMatchObject({ kind: 'blocked' });
    expect(lookup).not.toHaveBeenCalled();
  });

  test('refuses localhost through the system resolver', async () => {
    expect(await failure(fetchImage('http://localhost/a.png', options()))).toMatchObject({ kind: 'blocked' });
  });

  test.each([
    ['a private address', [{ address: '10.0.0.5', family: 4 }]],
    ['the metadata service', [{ address: '169.254.169.254', family: 4 }]],
    [
      'a public and a private address',
      [
        { address: '8.8.8.8', family: 4 },
        { address: '::1', family: 6 },
      ],
    ],
  ])('refuses a host name that resolves to %s', async (_what, addresses) => {
    const lookup = jest.fn(async () => addresses);

    expect(await failure(fetchImage('https://cdn.example/a.png', options({ lookup })))).toMatchObject({ kind: 'blocked' });
    expect(lookup).toHaveBeenCalledWith('cdn.example');
  });

  test('a host name that does not resolve is unreachable', async () => {
    const lookup = async (): Promise<ResolvedAddress[]> => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    };

    expect(await failure(fetchImage('https://nowhere.example/a.png', options({ lookup })))).toMatchObject({ kind: 'unreachable' });
  });

  test('connects to the address that was vetted and never asks the resolver again', async () => {
    const up = await startUpstream((_req, res) => servePng(res));
    // A rebinding resolver: the second answer would point somewhere else.
    const answers = [[{ address: '127.0.0.1', family: 4 }], [{ address: '10.9.9.9', family: 4 }]];
    const lookup = jest.fn(async () => answers.shift()!);
    const host = `images.test:${up.port}`;

    // `.test` names never resolve in real DNS, so getting the image proves the pinned address was used.
    const image = await fetchImage(`http://${host}/a.png`, options({ trustedHosts: [host.toUpperCase()], lookup }));

    expect((await collect(image.body)).equals(PNG)).toBe(true);
    expect(lookup).toHaveBeenCalledTimes(1);
    expect(up.exchanges[0].req.headers.host).toBe(host);
  });

  test.each(['not a url', 'ftp://127.0.0.1/a.png', 'file:///etc/passwd', 'javascript:alert(1)', 'http://user:secret@cdn.example/a.png'])(
    'refuses %j as a bad URL',
    async (url) => {
      expect(await failure(fetchImage(url, options()))).toMatchObject({ kind: 'bad_url' });
    },
  );
});

describe('fetchImage redirects', () => {
  test('follows a redirect within the trusted host', async () => {
    const up = await startUpstream((req, res) => {
      if (req.url === '/final.png') return servePng(res);
      res.writeHead(302, { location: '/final.png' });
      res.end();
    });

    const image = await fetchImage(up.url('/start'), options({ trustedHosts: [up.host] }));

    expect((await collect(image.body)).equals(PNG)).toBe(true);
    expect(up.exchanges.map((e) => e.req.url)).toEqual(['/start', '/final.png']);
  });

  test('a trusted host redirecting to an untrusted private address is blocked before anything is sent there', async () => {
    const other = await startUpstream((_req, res) => servePng(res));
    const up = await startUpstream((_req, res) => {
      res.writeHead(302, { location: other.url() });
      res.end();
    });

    expect(await failure(fetchImage(up.url(), options({ trustedHosts: [up.host] })))).toMatchObject({ kind: 'blocked' });
    expect(other.exchanges).toHaveLength(0);
  });

  test('a redirect to a host name resolving to the metadata service is blocked', async () => {
    const up = await startUpstream((_req, res) => {
      res.writeHead(307, { location: 'http://metadata.test/latest/meta-data/' });
      res.end();
    });
    const lookup = jest.fn(async () => [{ address: '169.254.169.254', family: 4 }]);

    expect(await failure(fetchImage(up.url(), options({ trustedHosts: [up.host], lookup })))).toMatchObject({ kind: 'blocked' });
    expect(lookup).toHaveBeenCalledWith('metadata.test');
  });

  test('a redirect to another scheme is a bad URL', async () => {
    const up = await startUpstream((_req, res) => {
      res.writeHead(301, { location: 'file:///etc/passwd' });
      res.end();
    });

    expect(await failure(fetchImage(up.url(), options({ trustedHosts: [up.host] })))).toMatchObject({ kind: 'bad_url' });
  });

  test('stops after maxRedirects hops', async () => {
    const up = await startUpstream((_req, res) => {
      res.writeHead(302, { location: '/again' });
      res.end();
    });

    expect(await failure(fetchImage(up.url(), options({ trustedHosts: [up.host], maxRedirects: 2 })))).toMatchObject({ kind: 'too_many_redirects' });
    expect(up.exchanges).toHaveLength(3);
  });
});
