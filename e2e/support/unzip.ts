/** Opens a downloaded .zip with Python's zipfile (an independent reader: CRCs checked, files extracted). */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

export function unzip(zipPath: string): { dir: string; files: string[] } {
  const test = spawnSync('python3', ['-m', 'zipfile', '-t', zipPath], { encoding: 'utf8' });
  if (test.status !== 0) throw new Error(`the zip is corrupt: ${test.stderr || test.stdout}`);
  const dir = mkdtempSync(join(tmpdir(), 'busboard-unzip-'));
  const ex = spawnSync('python3', ['-m', 'zipfile', '-e', zipPath, dir], { encoding: 'utf8' });
  if (ex.status !== 0) throw new Error(`cannot extract the zip: ${ex.stderr}`);
  const files: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else files.push(relative(dir, p).split('\\').join('/'));
    }
  };
  walk(dir);
  return { dir, files: files.sort() };
}
