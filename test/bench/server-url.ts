import type { ChildProcess } from 'node:child_process';

/** The URL the bench server process prints once it listens (its first JSON line). */
export async function serverUrl(server: ChildProcess): Promise<string> {
  let text = '';
  for await (const chunk of server.stdout!) {
    text += String(chunk);
    const line = text.split('\n').find((l) => l.startsWith('{'));
    if (line) return (JSON.parse(line) as { url: string }).url;
  }
  throw new Error(`bench server exited before listening:\n${text}`);
}
