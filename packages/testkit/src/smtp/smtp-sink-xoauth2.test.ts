import tls from 'node:tls';
import nodemailer from 'nodemailer';
import { startOAuthServer, OAuthServerEmulator } from '../emulators/oauth';
import { startSmtpSink } from './smtp-sink';
import { GMAIL_XOAUTH2_CHALLENGE } from './smtp-sink-xoauth2';

const SCOPE = 'https://mail.google.com/';
const CLIENT = { clientId: 'c', clientSecret: 's', redirectUris: ['http://127.0.0.1:9/cb'] };

/** An access token for the signed-in user, through the emulator's own consent and token endpoint. */
async function accessTokenFrom(oauth: OAuthServerEmulator): Promise<string> {
  const { createHash, randomBytes } = await import('node:crypto');
  const verifier = randomBytes(32).toString('base64url');
  const url = new URL(oauth.urls.authorize);
  const params = {
    client_id: 'c',
    redirect_uri: CLIENT.redirectUris[0],
    response_type: 'code',
    scope: `openid email ${SCOPE}`,
    state: 's',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  };
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  const { code } = await oauth.consentTo(url.toString());
  const res = await fetch(oauth.urls.token, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: CLIENT.redirectUris[0],
      code_verifier: verifier,
      client_id: 'c',
      client_secret: 's',
    }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

/** A bare client (no pool) logging in with an access token it cannot renew. */
const client = (port: number, user: string, accessToken: string) =>
  nodemailer.createTransport({ host: '127.0.0.1', port, secure: true, auth: { type: 'OAuth2', user, accessToken } });

/** Speaks SMTP by hand over implicit TLS, to see the exact lines of the XOAUTH2 exchange. */
async function rawXOAuth2(port: number, user: string, token: string): Promise<string[]> {
  const socket = tls.connect({ host: '127.0.0.1', port, servername: 'localhost' });
  socket.on('error', () => undefined); // the server may reset the connection after our QUIT-less end
  const lines: string[] = [];
  let buffer = '';
  const waiters: (() => void)[] = [];
  socket.on('data', (d: Buffer) => {
    buffer += d.toString();
    let i: number;
    while ((i = buffer.indexOf('\r\n')) >= 0) {
      lines.push(buffer.slice(0, i));
      buffer = buffer.slice(i + 2);
    }
    waiters.splice(0).forEach((w) => w());
  });
  const replyAfter = async (count: number) => {
    while (!lines.slice(count).some((l) => /^\d{3} /.test(l))) await new Promise<void>((r) => waiters.push(r));
    return lines.length;
  };
  let seen = await replyAfter(0);
  socket.write('EHLO client.test\r\n');
  seen = await replyAfter(seen);
  socket.write(`AUTH XOAUTH2 ${Buffer.from(`user=${user}\x01auth=Bearer ${token}\x01\x01`).toString('base64')}\r\n`);
  seen = await replyAfter(seen);
  if (lines[seen - 1].startsWith('334')) {
    socket.write('\r\n');
    await replyAfter(seen);
  }
  const exchange = [...lines];
  socket.write('QUIT\r\n');
  await new Promise((r) => socket.once('close', r));
  return exchange;
}

describe('SMTP sink with AUTH XOAUTH2', () => {
  let oauth: OAuthServerEmulator;
  beforeAll(async () => {
    oauth = await startOAuthServer({ flavour: 'google', clients: [CLIENT], user: { email: 'facturas@acme.test' } });
  });
  afterAll(() => oauth.close());

  const sinkFor = (style?: 'gmail' | 'office365') =>
    startSmtpSink({
      tls: 'implicit',
      auth: { users: {}, xoauth2: { style, mailboxOf: (t) => oauth.isValidAccessToken(t, SCOPE)?.email } },
    });

  it('logs in a live token of the named mailbox, and says so in EHLO', async () => {
    const sink = await sinkFor();
    try {
      const token = await accessTokenFrom(oauth);
      await client(sink.port, 'facturas@acme.test', token).sendMail({
        from: 'facturas@acme.test',
        to: 'b@b.test',
        subject: 's',
        text: 't',
      });
      const [m] = await sink.waitForMessages(1);
      expect(m.user).toBe('facturas@acme.test');
      expect(sink.authAttempts).toEqual([
        { method: 'XOAUTH2', username: 'facturas@acme.test', ok: true, secure: true, connectionId: m.connectionId },
      ]);
      expect(JSON.stringify(sink.authAttempts)).not.toContain(token);
      const ehlo = await rawXOAuth2(sink.port, 'facturas@acme.test', token);
      expect(ehlo.find((l) => /AUTH /.test(l))).toMatch(/AUTH PLAIN LOGIN XOAUTH2/);
    } finally {
      await sink.close();
    }
  });

  it('refuses a revoked token as Gmail does: 334 with the JSON challenge, then 535 5.7.8', async () => {
    const sink = await sinkFor('gmail');
    try {
      const token = await accessTokenFrom(oauth);
      oauth.expireAccessToken(token);
      const lines = await rawXOAuth2(sink.port, 'facturas@acme.test', token);
      const challenge = lines.find((l) => l.startsWith('334 '))!;
      expect(JSON.parse(Buffer.from(challenge.slice(4), 'base64').toString())).toEqual(GMAIL_XOAUTH2_CHALLENGE);
      expect(lines.slice(-2)).toEqual([
        '535-5.7.8 Username and Password not accepted. For more information, go to',
        expect.stringMatching(/^535 5\.7\.8 {2}https:\/\/support\.google\.com\/mail\/\?p=BadCredentials/),
      ]);
      const error = await client(sink.port, 'facturas@acme.test', token)
        .verify()
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'EAUTH', responseCode: 535, command: 'AUTH XOAUTH2' });
      expect(sink.authAttempts.every((a) => a.method === 'XOAUTH2' && !a.ok)).toBe(true);
    } finally {
      await sink.close();
    }
  });

  it('refuses a bad token as Office 365 does: 535 5.7.3 Authentication unsuccessful, at once', async () => {
    const sink = await sinkFor('office365');
    try {
      const lines = await rawXOAuth2(sink.port, 'facturas@acme.test', 'not-a-token');
      expect(lines.at(-1)).toMatch(/^535 5\.7\.3 Authentication unsuccessful \[/);
      expect(lines.some((l) => l.startsWith('334'))).toBe(false);
    } finally {
      await sink.close();
    }
  });

  it("refuses another mailbox's live token", async () => {
    const sink = await sinkFor('office365');
    try {
      const token = await accessTokenFrom(oauth);
      const error = await client(sink.port, 'jefe@acme.test', token)
        .verify()
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'EAUTH', responseCode: 535 });
      expect(sink.authAttempts).toEqual([expect.objectContaining({ username: 'jefe@acme.test', ok: false })]);
    } finally {
      await sink.close();
    }
  });
});
