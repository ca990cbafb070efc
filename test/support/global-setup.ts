// Placeholder replaced shortly by the Temporal dev-server bootstrap.
export default async function globalSetup(): Promise<void> {}
