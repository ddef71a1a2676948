import { readFile, stat } from 'node:fs/promises';
import { ArazzoError, fileLocation } from '../errors.js';

/** Documents larger than this are refused before parsing (a runner reads other people's files). */
export const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

/** Reads a local text file; every failure becomes a one-line `ArazzoError`. */
export async function readTextFile(path: string): Promise<string> {
  const at = fileLocation(path);
  try {
    const info = await stat(path);
    if (info.isDirectory())
      throw new ArazzoError('FILE_UNREADABLE', 'a directory, not a file', { location: at });
    // Devices and pipes report no size, so the cap below would not hold: only regular files.
    if (!info.isFile())
      throw new ArazzoError('FILE_UNREADABLE', 'not a regular file', { location: at });
    if (info.size > MAX_DOCUMENT_BYTES) {
      throw new ArazzoError(
        'FILE_TOO_LARGE',
        `${info.size} bytes; documents over ${MAX_DOCUMENT_BYTES} bytes are refused`,
        { location: at },
      );
    }
    return await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof ArazzoError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new ArazzoError('FILE_NOT_FOUND', 'no such file', { location: at });
    throw new ArazzoError('FILE_UNREADABLE', `cannot be read (${code ?? String(error)})`, {
      location: at,
    });
  }
}
