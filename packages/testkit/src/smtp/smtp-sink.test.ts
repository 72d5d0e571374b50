import net from 'node:net';
import nodemailer from 'nodemailer';
import { refusingPort, startSilentServer } from './dead-end-servers';
import { SINK_GREETING_421, startSmtpSink } from './smtp-sink';
import { parseSmtpReply } from './smtp-reply';

/** A bare nodemailer client (no pool), so each send is one connection the sink can count. */
function client(port: number, options: { secure?: boolean; auth?: { user: string; pass: string } } = {}) {
  return nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: options.secure ?? false,
    requireTLS: !options.secure,
    auth: options.auth,
    greetingTimeout: 1000,
  });
}

describe('startSmtpSink', () => {
  it('captures the envelope, the raw bytes and the parsed message, and counts connections and logins', async () => {
    const sink = await startSmtpSink({ tls: 'starttls', auth: { users: { ana: 'pw-1' } } });
    try {
      const c = client(sink.port, { auth: { user: 'ana', pass: 'pw-1' } });
      await c.sendMail({ from: 'Ana <ana@a.test>', to: 'b@b.test', bcc: 'c@c.test', subject: 'Hola', text: 'cuerpo' });
      const [m] = await sink.waitForMessages(1);

      expect(m.envelope).toEqual({ mailFrom: 'ana@a.test', rcptTo: ['b@b.test', 'c@c.test'] });
      expect(m.raw.toString()).toContain('Subject: Hola');
      expect(m.parsed.from?.value).toEqual([{ address: 'ana@a.test', name: 'Ana' }]);
      expect(m).toMatchObject({ user: 'ana', secure: true });
      expect(sink.connections).toHaveLength(1);
      expect(sink.authAttempts).toEqual([{ method: 'PLAIN', username: 'ana', ok: true, secure: true, connectionId: m.connectionId }]);

      sink.clear();
      expect([sink.messages, sink.connections, sink.authAttempts]).toEqual([[], [], []]);
    } finally {
      await sink.close();
    }
  });

  it('waitForMessages says how many arrived when it gives up', async () => {
    const sink = await startSmtpSink({ tls: 'none' });
    try {
      await expect(sink.waitForMessages(1, 50)).rejects.toThrow('expected 1 message(s) on the SMTP sink within 50 ms, got 0');
    } finally {
      await sink.close();
    }
  });

  it('plays its scripted failures with the exact lines, and they can be changed while it runs', async () => {
    const sink = await startSmtpSink({
      tls: 'implicit',
      greet421Times: 1,
      rejectRecipients: { 'Nadie@B.test': '550 5.1.1 <nadie@b.test>: User unknown' },
    });
    try {
      const c = client(sink.port, { secure: true });
      const send = (to: string) =>
        c.sendMail({ from: 'a@a.test', to, subject: 's', text: 't' }).then(
          () => 'ok',
          (e: { response?: string }) => e.response,
        );

      expect(await send('b@b.test')).toBe(SINK_GREETING_421);
      expect(await send('nadie@b.test')).toBe('550 5.1.1 <nadie@b.test>: User unknown');
      sink.behaviour.rejectMailFrom = '550 5.7.1 Sender address is not allowed';
      expect(await send('b@b.test')).toBe('550 5.7.1 Sender address is not allowed');
      sink.behaviour.rejectMailFrom = undefined;
      sink.behaviour.onDataReply = '452 4.3.1 Insufficient system storage';
      expect(await send('b@b.test')).toBe('452 4.3.1 Insufficient system storage');
      expect(sink.refusedMessages).toHaveLength(1);
      sink.behaviour.onDataReply = undefined;
      expect(await send('b@b.test')).toBe('ok');
      expect(sink.connections.map((x) => x.refused)).toEqual([true, false, false, false, false]);
    } finally {
      await sink.close();
    }
  });

  it('answers a wrong password with the configured line and never records passwords', async () => {
    const failureReply = '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox.';
    const sink = await startSmtpSink({ tls: 'starttls', auth: { users: { ana: 'right' }, methods: ['LOGIN'], failureReply } });
    try {
      const error = await client(sink.port, { auth: { user: 'ana', pass: 'wrong-pass' } })
        .verify()
        .catch((e: { response?: string }) => e);
      expect(error).toMatchObject({ response: failureReply });
      expect(sink.authAttempts).toEqual([expect.objectContaining({ method: 'LOGIN', username: 'ana', ok: false })]);
      expect(JSON.stringify(sink.authAttempts)).not.toContain('wrong-pass');
    } finally {
      await sink.close();
    }
  });

  it("tls 'none' offers no STARTTLS, so a client that requires it is refused before any login", async () => {
    const sink = await startSmtpSink({ tls: 'none', auth: { users: { ana: 'pw' } } });
    try {
      const error = await client(sink.port, { auth: { user: 'ana', pass: 'pw' } })
        .verify()
        .catch((e: { code?: string }) => e);
      expect(error).toMatchObject({ code: 'ETLS' });
      expect(sink.authAttempts).toEqual([]);
    } finally {
      await sink.close();
    }
  });

  it('drops the connection mid-DATA for the first N messages, then accepts', async () => {
    const sink = await startSmtpSink({ tls: 'none', dropDuringData: 1 });
    try {
      const c = nodemailer.createTransport({ host: '127.0.0.1', port: sink.port, ignoreTLS: true });
      const mail = { from: 'a@a.test', to: 'b@b.test', subject: 's', text: 't' };
      await expect(c.sendMail(mail)).rejects.toMatchObject({ code: 'ECONNECTION' });
      await c.sendMail(mail);
      expect(sink.droppedDuringData).toBe(1);
      expect(sink.messages).toHaveLength(1);
    } finally {
      await sink.close();
    }
  });
});

describe('dead ends', () => {
  it('refusingPort() is a port where connections are refused', async () => {
    const port = await refusingPort();
    const error = await new Promise<NodeJS.ErrnoException>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('error', resolve);
      socket.once('connect', () => socket.destroy());
    });
    expect(error.code).toBe('ECONNREFUSED');
  });

  it('startSilentServer() accepts and never greets', async () => {
    const silent = await startSilentServer();
    try {
      await expect(client(silent.port).verify()).rejects.toMatchObject({ code: 'ETIMEDOUT' });
      expect(silent.connections).toBe(1);
    } finally {
      await silent.close();
    }
  });

  it('parseSmtpReply splits a reply line and refuses anything else', () => {
    expect(parseSmtpReply('550 5.1.1 User unknown')).toEqual({ code: 550, text: '5.1.1 User unknown' });
    expect(() => parseSmtpReply('User unknown')).toThrow(/not an SMTP reply line/);
  });
});
