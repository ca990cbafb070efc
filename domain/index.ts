// The rules every layer shares — workflows, activities, services and the API alike.
// Nothing here imports anything but its siblings, so the workflow bundle may use all of it.
export * from './ledger-refs';
export * from './statuses';
export * from './time';
export * from './workflow-ids';
export * from './write-order';
