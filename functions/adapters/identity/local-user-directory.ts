import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { UserAccount, UserDirectory } from './user-directory';

/** The local stack's user pool: one JSON file under DATA_DIR, written by the onboard command, read by the local sign-in. */
const LOCAL_USERS_FILE = 'users.json';

/**
 * People's accounts for the local stack, shaped as the user pool keeps them
 * (a sub, the customer and name attributes, groups), so their tokens come out as on AWS.
 * Nobody sets a password locally: an account is usable once made.
 */
export class LocalUserDirectory implements UserDirectory {
  private readonly file: string;

  constructor(dataDir: string) {
    this.file = join(dataDir, LOCAL_USERS_FILE);
  }

  async find(email: string): Promise<UserAccount | undefined> {
    return (await this.read()).find((u) => u.email === email.toLowerCase());
  }

  async create(email: string, customerId?: string, name?: string): Promise<UserAccount> {
    const users = await this.read();
    if (users.some((u) => u.email === email.toLowerCase())) throw new Error(`${email} has an account already`);
    const account: UserAccount = {
      email: email.toLowerCase(),
      sub: randomUUID(),
      ...(customerId ? { customerId } : {}),
      ...(name ? { name } : {}),
      groups: [],
      status: 'CONFIRMED',
      enabled: true,
    };
    await this.write([...users, account]);
    return account;
  }

  async addToGroup(email: string, group: string): Promise<void> {
    const users = await this.read();
    const account = users.find((u) => u.email === email.toLowerCase());
    if (!account) throw new Error(`${email} has no account`);
    if (account.groups.includes(group)) return;
    await this.write(users.map((u) => (u === account ? { ...u, groups: [...u.groups, group] } : u)));
  }

  /** Local accounts sign in at once (CONFIRMED): there is no invitation to send. */
  async resendInvitation(email: string): Promise<void> {
    if (!(await this.find(email))) throw new Error(`${email} has no account`);
  }

  async remove(email: string): Promise<boolean> {
    const users = await this.read();
    const left = users.filter((u) => u.email !== email.toLowerCase());
    if (left.length === users.length) return false;
    await this.write(left);
    return true;
  }

  private async read(): Promise<UserAccount[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return (JSON.parse(text) as { users: UserAccount[] }).users;
  }

  /** Into a fresh file, then renamed over the old: the running stack never reads half a file. */
  private async write(users: readonly UserAccount[]): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    const staging = `${this.file}.${process.pid}`;
    await writeFile(staging, `${JSON.stringify({ users }, null, 2)}\n`);
    await rename(staging, this.file);
  }
}
