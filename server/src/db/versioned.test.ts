import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildScope, createTestContext, dialects, type TestContext } from '../test/harness.ts';
import { updateVersioned } from './versioned.ts';

describe.each(dialects)('versioned updates on %s', (dialect) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext(dialect);
  });
  afterAll(() => t.close());

  it('writes and bumps the version only when the stored version is the one read, and refuses otherwise', async () => {
    const { scope } = await buildScope(t.deps);
    await updateVersioned(t.deps.db, 'scope', scope.id, 1, { description: 'first' });
    // a writer that read version 1 before the first one saved must not overwrite it silently
    await expect(updateVersioned(t.deps.db, 'scope', scope.id, 1, { description: 'lost?' })).rejects.toMatchObject({
      code: 'version_conflict',
    });
    const row = await t.deps.db.selectFrom('scope').selectAll().where('id', '=', scope.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ description: 'first', version: 2 });
  });
});
