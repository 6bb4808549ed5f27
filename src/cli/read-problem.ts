/** Why a file could not be read, in words: `no such file`, or the error's own message. */
export function readProblem(error: unknown): string {
  const code = (error as { code?: string } | null)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a folder, not a file';
  if (code === 'EACCES') return 'no permission to read it';
  return error instanceof Error ? error.message : String(error);
}
