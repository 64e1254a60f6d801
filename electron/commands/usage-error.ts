/** A mistake in the command line itself: the CLI prints it with the usage and exits 2. */
export class UsageError extends Error {}
