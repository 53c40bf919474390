import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LocalMonth } from '../../domain/month';
import type { ReportFiles } from '../../domain/reports/report-archive';
import type { StoredFile } from '../../domain/reports/report-formats';

/** The local stand-in for the report bucket: `<dir>/<YYYY-MM>/v<n>/<file>`, each written once. */
export class LocalReportFiles implements ReportFiles {
  constructor(private readonly dir: string) {}

  async put(month: LocalMonth, version: number, file: StoredFile, body: string): Promise<'written' | 'exists'> {
    const folder = join(this.dir, month, `v${version}`);
    await mkdir(folder, { recursive: true });
    try {
      // 'wx': like S3's If-None-Match: *, a file that exists is never replaced.
      await writeFile(join(folder, file), body, { flag: 'wx' });
      return 'written';
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return 'exists';
      throw error;
    }
  }

  async get(month: LocalMonth, version: number, file: StoredFile): Promise<string | undefined> {
    try {
      return await readFile(join(this.dir, month, `v${version}`, file), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }
}
