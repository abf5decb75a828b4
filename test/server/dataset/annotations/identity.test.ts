import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { defaultAnnotator } from '../../../../server/dataset/annotations/identity';
import { tempDir } from '../fixtures/rows';

test("uses the repository's git user.name", async () => {
  const { dir, cleanup } = await tempDir('thinkscope-id-');
  try {
    execFileSync('git', ['init', '-q', dir]);
    execFileSync('git', ['config', 'user.name', 'Ada Lovelace'], { cwd: dir });
    assert.equal(await defaultAnnotator(dir), 'Ada Lovelace');
  } finally {
    await cleanup();
  }
});

test('falls back to the OS user when git has no name or cannot run', async () => {
  const { dir, cleanup } = await tempDir('thinkscope-id-');
  const home = join(dir, 'home');
  await mkdir(home);
  const saved = { HOME: process.env.HOME, XDG: process.env.XDG_CONFIG_HOME, GIT: process.env.GIT_CONFIG_NOSYSTEM, PATH: process.env.PATH };
  try {
    process.env.HOME = home;
    process.env.XDG_CONFIG_HOME = home;
    process.env.GIT_CONFIG_NOSYSTEM = '1';
    assert.equal(await defaultAnnotator(dir), userInfo().username);
    process.env.PATH = dir; // no git at all
    assert.equal(await defaultAnnotator(dir), userInfo().username);
  } finally {
    process.env.HOME = saved.HOME;
    process.env.XDG_CONFIG_HOME = saved.XDG;
    if (saved.GIT === undefined) delete process.env.GIT_CONFIG_NOSYSTEM;
    else process.env.GIT_CONFIG_NOSYSTEM = saved.GIT;
    process.env.PATH = saved.PATH;
    await cleanup();
  }
});
