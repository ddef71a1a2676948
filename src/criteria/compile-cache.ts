/**
 * A small cache for conditions compiled at run time (after `{$…}` substitution, and in the
 * condition worker): a poll loop substitutes the same values every time, so it compiles once.
 */
export class CompileCache<T> {
  private readonly entries = new Map<string, T>();

  constructor(private readonly limit = 16) {}

  get(key: string, compile: (key: string) => T): T {
    const hit = this.entries.get(key);
    if (hit !== undefined) return hit;
    const value = compile(key);
    if (this.entries.size >= this.limit) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    this.entries.set(key, value);
    return value;
  }
}
