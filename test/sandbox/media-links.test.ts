// Media sent by `link` through the sandbox network: the link is downloaded with the guarded fetcher when the
// message is sent. Allowed local servers work; loopback, private and link-local addresses (IPv4, IPv6, IPv4-mapped)
// not on WA_MEDIA_LINK_ALLOW, files WhatsApp would refuse, and redirect chains over 5 or into refused addresses end
// as the old API's asynchronous failed status.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { fileOf } from '../support/file-server.js';
import { suiteScope } from '../support/harness.js';
import { startMessagingScenario, type MessagingScenario } from '../support/messaging.js';

describe('media links', () => {
  let s: MessagingScenario;
  let to: string;
  /** Sends one media message by link, runs the network, and answers its statuses. */
  const sendLink = async (type: string, link: string, extra: object = {}) => {
    const id = await s.send({ to, type, [type]: { link, ...extra } });
    await s.advance(2000);
    return s.statusesOf(id);
  };
  const failureOf = async (type: string, link: string) => {
    const [status, ...rest] = await sendLink(type, link);
    assert.equal(status?.status, 'failed', `${link}: ${JSON.stringify(status)}`);
    assert.deepEqual(rest, [], 'nothing after the failure');
    assert.equal(status!.errors[0].code, 1014);
    assert.equal(status!.errors[0].title, 'Internal error');
    return status!.errors[0].details as string;
  };

  const suite = suiteScope();
  before(async () => {
    s = await startMessagingScenario(suite);
    to = '16315557001';
    await s.inbound({ from: to, type: 'text', text: { body: 'hi' } });
    await s.advance(0);
  });

  it('delivers every kind of media from an allowed local server', async () => {
    const files: [type: string, mimeType: string, path: string][] = [
      ['image', 'image/jpeg', '/a.jpg'],
      ['audio', 'audio/ogg', '/a.ogg'],
      ['video', 'video/mp4', '/a.mp4'],
      ['document', 'application/pdf', '/a.pdf'],
      ['sticker', 'image/webp', '/a.webp'],
    ];
    for (const [type, mimeType, path] of files) {
      s.files.serve(path, fileOf(mimeType, 50 * 1024), mimeType);
      assert.deepEqual(
        (await sendLink(type, s.files.url(path))).map((x) => x.status),
        ['delivered', 'read'],
        type,
      );
    }
  });

  it('refuses loopback, private and link-local addresses that WA_MEDIA_LINK_ALLOW does not list, with a failed status', async () => {
    const port = s.files.host.split(':')[1];
    const refused: [link: string, why: RegExp][] = [
      ['http://127.0.0.1:1/a.jpg', /127\.0\.0\.1 is a loopback address, and WA_MEDIA_LINK_ALLOW does not list it/],
      [`http://127.0.0.2:${port}/a.jpg`, /127\.0\.0\.2 is a loopback address/],
      ['http://10.20.30.40/a.jpg', /10\.20\.30\.40 is a private address/],
      ['http://192.168.1.1/a.jpg', /private address/],
      ['http://169.254.169.254/latest/meta-data/', /169\.254\.169\.254 is a link-local address/],
      ['http://0.0.0.0/a.jpg', /unspecified address/],
      ['http://[::1]:1/a.jpg', /::1 is a loopback address/],
      ['http://[fd12:3456::1]/a.jpg', /fd12:3456::1 is a private address/],
      ['http://[fe80::1]/a.jpg', /link-local address/],
      ['http://[::ffff:10.0.0.1]/a.jpg', /::ffff:a00:1 is a private address/],
      ['http://localhost:1/a.jpg', /is a loopback address \(localhost resolves to it\)/],
    ];
    for (const [link, why] of refused) {
      const details = await failureOf('image', link);
      assert.match(
        details,
        new RegExp(`^Media download error: downloading ${link.replace(/[.[\]?]/g, '\\$&')} failed: `),
      );
      assert.match(details, why, link);
    }
  });

  it('follows up to 5 redirects, re-checking each; a sixth, or one into a refused address, fails the message', async () => {
    s.files.serve('/target.png', fileOf('image/png', 2048), 'image/png');
    const chain = (name: string, hops: number, end: string) => {
      for (let i = 0; i < hops; i++) s.files.redirect(`/${name}${i}`, i === hops - 1 ? end : `/${name}${i + 1}`);
      return s.files.url(`/${name}0`);
    };
    assert.deepEqual(
      (await sendLink('image', chain('five', 5, '/target.png'))).map((x) => x.status),
      ['delivered', 'read'],
    );
    assert.match(await failureOf('image', chain('six', 6, '/target.png')), /more than 5 redirects/);
    assert.match(
      await failureOf('image', chain('out', 2, 'http://169.254.169.254/latest/meta-data/')),
      /169\.254\.169\.254 is a link-local address/,
    );
    assert.match(
      await failureOf('image', chain('back', 1, 'http://127.0.0.1:1/a.png')),
      /127\.0\.0\.1 is a loopback address/,
    );
  });

  it("does not carry a media provider's credentials to another host a link redirects to", async () => {
    const saved = await s.t.request({
      method: 'POST',
      url: '/v1/settings/application/media/providers',
      token: s.admin,
      body: [{ name: 'cdn', type: 'www', config: { basic: { username: 'u', password: 'p' } } }],
    });
    assert.equal(saved.status, 200, saved.text);
    const elsewhere = new URL('/elsewhere.png', s.receiver.url).href;
    s.files.redirect('/signed.png', elsewhere);
    await sendLink('image', s.files.url('/signed.png'), { provider: { name: 'cdn' } });
    const basic = `Basic ${Buffer.from('u:p').toString('base64')}`;
    assert.ok(
      s.files.requests.some((r) => r.path === '/signed.png' && r.headers.authorization === basic),
      "sent to the provider's host",
    );
    const followed = s.receiver.received.filter((r) => r.raw === '' && r.body === undefined);
    assert.ok(followed.length > 0, 'the redirect was followed');
    assert.ok(
      followed.every((r) => r.headers.authorization === undefined),
      'not sent to the other host',
    );
  });

  it('fails links whose file WhatsApp would not take: wrong type, too large, not found', async () => {
    s.files.serve('/page.jpg', Buffer.from('<!doctype html><title>not an image</title>'), 'image/jpeg');
    assert.match(
      await failureOf('image', s.files.url('/page.jpg')),
      /the file's bytes are not an image file \(image\/jpeg, image\/png\)/,
    );
    s.files.serve('/big.jpg', fileOf('image/jpeg', 5 * 1024 * 1024 + 1), 'image/jpeg');
    assert.match(
      await failureOf('image', s.files.url('/big.jpg')),
      /the file is 5242881 bytes, more than the 5242880 allowed/,
    );
    s.files.serve('/big.webp', fileOf('image/webp', 100 * 1024 + 1), 'image/webp');
    assert.match(await failureOf('sticker', s.files.url('/big.webp')), /more than the 102400 allowed/);
    assert.match(await failureOf('document', s.files.url('/nothing.pdf')), /answered HTTP 404/);
  });
});
