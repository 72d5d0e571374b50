import { isRedisConnectionError } from './redis-connection-error';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('isRedisConnectionError', () => {
  it('knows what a Redis that is not there looks like', () => {
    expect(isRedisConnectionError(withCode('connect ECONNREFUSED 127.0.0.1:6379', 'ECONNREFUSED'))).toBe(true);
    expect(isRedisConnectionError(withCode('read ECONNRESET', 'ECONNRESET'))).toBe(true);
    expect(isRedisConnectionError(withCode('connect ETIMEDOUT', 'ETIMEDOUT'))).toBe(true);
    expect(isRedisConnectionError(new Error('Connection is closed.'))).toBe(true);
    expect(isRedisConnectionError(new AggregateError([withCode('a', 'ECONNREFUSED'), withCode('b', 'EHOSTUNREACH')]))).toBe(true);
  });

  it('leaves every other error a real one', () => {
    expect(isRedisConnectionError(new Error('Missing lock for job 12. moveToFinished'))).toBe(false);
    expect(isRedisConnectionError(new Error('ERR Error running script (call to f_...): @user_script:12: attempt to compare nil'))).toBe(
      false,
    );
    expect(isRedisConnectionError(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe(false);
    expect(isRedisConnectionError('ECONNREFUSED')).toBe(false);
  });
});
