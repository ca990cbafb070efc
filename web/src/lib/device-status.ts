/** TikMatrix's task statuses, as numbers on the wire. */
const NAMES = ['pending', 'running', 'completed', 'failed'] as const;

export const DEVICE_STATUS = {
  pending: 0,
  running: 1,
  completed: 2,
  failed: 3,
  name: (status: number) => NAMES[status] ?? String(status),
  options: NAMES.map((name, value) => ({ value: String(value), label: name })),
};
