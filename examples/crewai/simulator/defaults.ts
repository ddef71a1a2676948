/** The simulator's default crew and settings (our choices; CrewAI has no "default crew"). */

import type { CrewTask } from './crew.js';

export const DEFAULT_TOKENS: readonly string[] = ['sim-token'];

/** Inputs named by `{placeholder}` tokens in the default tasks, as CrewAI derives them (NOTES §2.1). */
export const DEFAULT_REQUIRED_INPUTS: readonly string[] = ['topic'];

export const DEFAULT_TASK_DURATION_MS = 200;

/**
 * Three tasks, the middle one reviewed by a human, so one execution exercises running →
 * pending_human_input → resumed → running → completed.
 */
export const DEFAULT_TASKS: readonly CrewTask[] = [
  {
    id: 'research_task',
    agent: 'Senior Researcher',
    output: 'Research notes on {topic}: key facts, sources and open questions.',
  },
  {
    id: 'draft_task',
    agent: 'Report Writer',
    humanInput: true,
    output: 'Draft report on {topic}, ready for review.',
  },
  {
    id: 'summary_task',
    agent: 'Editor',
    output: 'Final report on {topic}, edited and summarised.',
  },
];
