/** `arazzo upgrade`: Arazzo 1.0.x → 1.1.0 (POSITIONS §11.5). */
export { TARGET_VERSION, upgradeText, type UpgradeNote, type UpgradeResult } from './upgrade.js';
export { unifiedDiff } from './diff.js';
