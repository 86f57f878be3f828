/**
 * Compile-time checks of the JSON client's write bodies, run by `tsc -p web` (this file is type-checked, never bundled):
 * a write takes a body only of the type it names, the server's zod input type. Each `@ts-expect-error` below must stay
 * an error: if the client took untyped bodies again, the directive would be unused and the type check would fail.
 */
import { api } from './api.ts';
import type { CreateTaskInput, Task, UpdateTaskInput } from './types.ts';

export function writesNameTheirBody(url: string): void {
  // a body of the named input type compiles
  void api.post<Task, CreateTaskInput>(url, { title: 'Review firewall rules', processKey: 'control-implementation' });
  void api.patch<Task, UpdateTaskInput>(url, { version: 1, status: 'done' });
  // an action without a body names only its answer
  void api.post<Task>(url);

  // @ts-expect-error an object literal without a named body type does not compile
  void api.post<Task>(url, { title: 'Review firewall rules' });
  // @ts-expect-error nor does it for a change
  void api.patch<Task>(url, { version: 1, status: 'done' });
  // @ts-expect-error nor for a replacement
  void api.put(url, { anything: true });
  // @ts-expect-error a field the server's schema does not have
  void api.post<Task, CreateTaskInput>(url, { title: 'x', processKey: 'internal-audit', priority: 'high' });
  // @ts-expect-error a value the server's schema does not take
  void api.patch<Task, UpdateTaskInput>(url, { version: 1, status: 'finished' });
}
