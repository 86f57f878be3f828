import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { registerErrorHandler } from './errors.ts';

/** Database refusals that a client can resolve by trying again are 409s, never 500s. */
describe('error handler', () => {
  const appThrowing = async (err: unknown) => {
    const app = Fastify();
    registerErrorHandler(app);
    app.get('/x', async () => {
      throw err;
    });
    await app.ready();
    return app.inject({ method: 'GET', url: '/x' });
  };

  it.each([
    ['a PostgreSQL unique violation', Object.assign(new Error('duplicate key value'), { code: '23505' }), 'duplicate'],
    ['a SQLite unique violation', Object.assign(new Error('UNIQUE constraint failed: threat.code'), { errcode: 2067 }), 'duplicate'],
    ['a PostgreSQL deadlock', Object.assign(new Error('deadlock detected'), { code: '40P01' }), 'version_conflict'],
    ['a PostgreSQL serialization failure', Object.assign(new Error('could not serialize'), { code: '40001' }), 'version_conflict'],
  ])('answers %s with 409', async (_name, err, code) => {
    const res = await appThrowing(err);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe(code);
  });

  it('answers anything else unexpected with 500 and no detail', async () => {
    const res = await appThrowing(new Error('secret internals'));
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('secret');
  });
});
