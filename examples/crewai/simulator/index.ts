/** Public API of the CrewAI AMP simulator (used by the demo and the end-to-end tests). */

export { startSimulator } from './server.js';
export type { RecordedRequest, Simulator, SimulatorOptions, WaitableStatus } from './server.js';
export type { CrewTask, StatusBody, TaskProgress, TaskResultBody } from './crew.js';
export {
  DEFAULT_REQUIRED_INPUTS,
  DEFAULT_TASKS,
  DEFAULT_TASK_DURATION_MS,
  DEFAULT_TOKENS,
} from './defaults.js';
