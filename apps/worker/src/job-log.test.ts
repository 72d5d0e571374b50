import { Writable } from 'node:stream';
import pino from 'pino';
import { REDACT_PATHS } from '@mailroom/config';
import { jobLog, logSent } from './job-log';

function capture(level = 'info') {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  const logger = pino({ name: 'worker', level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, stream);
  return { logger, lines };
}
const withoutTime = (line: string) => {
  const { time: _time, ...rest } = JSON.parse(line) as Record<string, unknown>;
  return rest;
};
const bindings = { tenantId: 't1', emailId: 'em_1', attempt: 2 };

it('logSent writes the line a job child would, keys in the same order', () => {
  const a = capture();
  const b = capture();
  const fields = { messageId: '<m1@x>', providerMessageId: 'p1', ms: 12 };
  a.logger.child(bindings).info(fields, 'sent');
  logSent(b.logger, bindings, fields);
  expect(b.lines).toHaveLength(1);
  expect(withoutTime(b.lines[0])).toEqual(withoutTime(a.lines[0]));
  expect(Object.keys(JSON.parse(b.lines[0]))).toEqual(Object.keys(JSON.parse(a.lines[0])));
});

it('logSent writes nothing below info', () => {
  const { logger, lines } = capture('warn');
  logSent(logger, bindings, { messageId: '<m1@x>', ms: 1 });
  expect(lines).toEqual([]);
});

it('jobLog builds its child on the first line only, and writes what the child writes, redacted as before', () => {
  const { logger, lines } = capture();
  const child = jest.spyOn(logger, 'child');
  const log = jobLog(logger, bindings);
  expect(child).not.toHaveBeenCalled();
  log.warn({ status: 'sent' }, 'already settled');
  log.info({ smtp: { password: 'hunter2' } }, 'with a secret');
  expect(child).toHaveBeenCalledTimes(1);
  const reference = capture();
  reference.logger.child(bindings).warn({ status: 'sent' }, 'already settled');
  expect(withoutTime(lines[0])).toEqual(withoutTime(reference.lines[0]));
  expect(JSON.parse(lines[1])).toMatchObject({ ...bindings, smtp: { password: '[redacted]' } });
  expect(lines[1]).not.toContain('hunter2');
  expect(log.isLevelEnabled('debug')).toBe(false);
});
