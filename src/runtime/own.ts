/**
 * Writes a user-named key as an own data property (issue 21, F9). A plain assignment
 * `record[key] = value` with the key `__proto__` does not create a member: it replaces the
 * object's prototype (an object value) or is ignored (anything else), so an output or step named
 * `__proto__` vanished from `--json` and a library caller saw the value's members as inherited
 * ones. `Object.defineProperty` always creates the member, and the record stays a plain object:
 * JSON.stringify, spreading and structuredClone keep it like any other key.
 */
export function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}
