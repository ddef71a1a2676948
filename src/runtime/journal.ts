/**
 * Where a run records what it did to the world (`RunOptions.journal`), so that a run started
 * again after a crash can be given back what it did instead of doing it twice (durable runs,
 * POSITIONS §15). The runtime hands each exchange with a server to `record`; a journal that
 * already holds the outcome of that exchange resolves with it without calling `effect`.
 * Everything else a run does is computed from the document, the inputs and those outcomes,
 * which is what makes the replay give the same run.
 */
export interface RunJournal {
  /**
   * Runs `effect` (one exchange: a request and its response) once, or returns what it returned
   * the first time. `name` says which step of which workflow it belongs to. The outcome must be
   * plain data; an `ArazzoError` rejection is an outcome too.
   */
  record<T>(name: string, effect: () => Promise<T>): Promise<T>;
}

/** The journal of a plain run: every exchange happens, nothing is kept. */
export const NO_JOURNAL: RunJournal = { record: (_name, effect) => effect() };
